/**
 * Account, session, token, pairing and audit keys. They share the `{auth}` hash tag so the
 * scripts and transactions that touch several of them stay in one Redis Cluster slot.
 */
export const authKeys = {
  user: (username: string) => `rw:{auth}:user:${username}`,
  users: () => 'rw:{auth}:users',
  session: (sidHash: string) => `rw:{auth}:session:${sidHash}`,
  userSessions: (username: string) => `rw:{auth}:user-sessions:${username}`,
  token: (secretHash: string) => `rw:{auth}:token:${secretHash}`,
  tokens: () => 'rw:{auth}:tokens',
  pairing: (code: string) => `rw:{auth}:pair:${code}`,
  pairingSecret: (secretHash: string) => `rw:{auth}:pair-secret:${secretHash}`,
  audit: () => 'rw:{auth}:audit',
};
