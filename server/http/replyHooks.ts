import type { Response } from 'express';

/** A reply about to be sent: its status and the body as `res.send` got it (a JSON string for `res.json`). */
export interface Reply {
  status: number;
  body: unknown;
}

/** Runs before a reply leaves; may return a different reply (e.g. a 503 instead of a 200). */
export type ReplyHook = (reply: Reply, res: Response) => Promise<Reply | void>;

/** `record` hooks (store the reply) run before `confirm` hooks (wait for replicas, which may turn it into a 503). */
export type ReplyPhase = 'record' | 'confirm';

const HOOKS = Symbol('replyHooks');
type Hooked = Response & { [HOOKS]?: ReplyHook[] };

/**
 * Lets middleware act on a reply after the route made it and before it is sent: store it for
 * its Idempotency-Key, then wait until a replica has the change. Routes reply with `res.json`
 * or `res.send` (errors too, through the error handler).
 */
export function beforeReply(res: Response, phase: ReplyPhase, hook: ReplyHook): void {
  const r = res as Hooked;
  if (r[HOOKS]) {
    if (phase === 'record') r[HOOKS].unshift(hook);
    else r[HOOKS].push(hook);
    return;
  }
  const hooks: ReplyHook[] = [hook];
  r[HOOKS] = hooks;
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    // res.json calls res.send again with the serialised body; only the outermost call runs hooks.
    res.send = send;
    void (async () => {
      let reply: Reply = { status: res.statusCode, body };
      for (const h of hooks) {
        try {
          reply = (await h(reply, res)) ?? reply;
        } catch (err) {
          // A hook that cannot do its job (Redis gone) must not leave the client hanging.
          res.req.log?.warn({ err }, 'reply hook failed; answering 503');
          reply = { status: 503, body: JSON.stringify({ error: { code: 'store_unavailable', message: 'The data store is unavailable. Retry with the same Idempotency-Key.' } }) };
          res.type('application/json');
        }
      }
      if (!res.headersSent) send.call(res.status(reply.status), reply.body);
    })();
    return res;
  };
}
