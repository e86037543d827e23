/**
 * Counting views of a store's append-only lists: how many items code reads per update, to check
 * that work per update depends on what is new, never on how much there is. Counted, not timed:
 * speed is the benchmarks' job (bench/), and a count does not change on a busy machine.
 */
import { PartialJsonParser, type AppendList } from '../../src/store/index.ts';

/** How many list items were read through counting views; reset `count` at will. */
export interface ReadCounter {
  count: number;
}

/** A view of `list` that counts every item read through it: `at`, `slice`, `toArray` and iteration. */
export function countingList<T>(list: AppendList<T>, reads: ReadCounter): AppendList<T> {
  return new Proxy(list, {
    get(target, key) {
      switch (key) {
        case 'at':
          return (index: number) => {
            reads.count++;
            return target.at(index);
          };
        case 'slice':
          return (start?: number, end?: number) => {
            const items = target.slice(start, end);
            reads.count += items.length;
            return items;
          };
        case 'toArray':
          return () => {
            const items = target.toArray();
            reads.count += items.length;
            return items;
          };
        case Symbol.iterator:
          return function* () {
            for (const item of target) {
              reads.count++;
              yield item;
            }
          };
        default:
          return Reflect.get(target, key, target) as unknown;
      }
    },
  });
}

/**
 * How many characters were given to any PartialJsonParser while `during` ran (and settled): what
 * the streamed arguments of tool calls cost to parse.
 */
export async function charactersPushed(during: () => unknown): Promise<number> {
  const prototype = PartialJsonParser.prototype;
  const push = Object.getOwnPropertyDescriptor(prototype, 'push')!.value as PartialJsonParser['push'];
  let pushed = 0;
  prototype.push = function (this: PartialJsonParser, piece: string) {
    pushed += piece.length;
    return push.call(this, piece);
  };
  try {
    await during();
  } finally {
    prototype.push = push;
  }
  return pushed;
}
