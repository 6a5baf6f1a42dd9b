import type { Role } from '../../shared/vocabulary';

/** Who is calling: a signed-in person, a token, or (until sign-in exists) the open door. */
export interface Principal {
  kind: 'user' | 'token' | 'anonymous';
  id: string;
  role: Role;
  /** `'*'` for every site, else the site ids this principal may see. */
  sites: '*' | string[];
}
