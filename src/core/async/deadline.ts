/**
 * `p`, or a rejection with `message` once `ms` have passed, whichever comes first. The timer
 * never outlives the answer. `p` itself is not cancelled: callers decide what a late answer means.
 */
export function withDeadline<T>(p: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  const settled = p.then(
    (v) => {
      clearTimeout(timer);
      return v;
    },
    (e: unknown) => {
      clearTimeout(timer);
      throw e;
    },
  );
  return Promise.race([settled, expired]);
}

/** Whether `p` settles, either way, within `ms`. */
export function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  return withDeadline(
    p.then(
      () => true,
      () => true,
    ),
    ms,
  ).catch(() => false);
}
