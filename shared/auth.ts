import { z } from 'zod';
import { Role } from './vocabulary';

const Username = z.string().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, '2–40 of a–z 0–9 . _ -, starting with a letter or digit');
const Password = z.string().min(10, 'at least 10 characters').max(200);
const DisplayName = z.string().trim().min(1).max(80);
const SiteId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);
/** `'*'` for every site, or a non-empty list of site ids. */
export const SiteScope = z.union([z.literal('*'), z.array(SiteId).min(1).max(500)]);
export type SiteScope = z.infer<typeof SiteScope>;

export const LoginBody = z.strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const CreateUserBody = z.strictObject({
  username: Username,
  displayName: DisplayName.optional(),
  password: Password,
  role: Role,
  sites: SiteScope.default('*'),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const PatchUserBody = z
  .strictObject({
    displayName: DisplayName.optional(),
    password: Password.optional(),
    role: Role.optional(),
    sites: SiteScope.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type PatchUserBody = z.infer<typeof PatchUserBody>;

/** A staff account as shown to admins: never a password or hash. */
export const UserInfo = z.object({
  username: z.string(),
  displayName: z.string(),
  role: Role,
  sites: SiteScope,
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const TokenKind = z.enum(['api', 'display']);
export type TokenKind = z.infer<typeof TokenKind>;

export const CreateTokenBody = z.strictObject({
  kind: TokenKind,
  name: z.string().trim().min(1).max(80),
  /** API keys only; display tokens are always `display`. Defaults to `staff`. */
  role: Role.optional(),
  sites: SiteScope,
});
export type CreateTokenBody = z.infer<typeof CreateTokenBody>;

export const TokenInfo = z.object({
  id: z.string(),
  kind: TokenKind,
  name: z.string(),
  role: Role,
  sites: SiteScope,
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** Reply to token creation: the secret is shown this once and never stored. */
export const CreatedToken = z.object({ id: z.string(), token: z.string(), info: TokenInfo });
export type CreatedToken = z.infer<typeof CreatedToken>;

/** A wall screen asks for a pairing code; it polls with the secret until a lead claims it. */
export const PairingStarted = z.object({ code: z.string(), secret: z.string(), expiresAt: z.string() });
export type PairingStarted = z.infer<typeof PairingStarted>;

export const PairingClaimBody = z.strictObject({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{3}-?[A-Z0-9]{3}$/, 'six letters or digits'),
  siteId: SiteId,
  name: z.string().trim().min(1).max(80).default('Wall screen'),
});
export type PairingClaimBody = z.infer<typeof PairingClaimBody>;

export const PairingStatus = z.union([
  z.object({ status: z.literal('waiting') }),
  z.object({ status: z.literal('paired'), siteId: z.string(), token: z.string() }),
]);
export type PairingStatus = z.infer<typeof PairingStatus>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  from: z.string(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
