import type { Account } from '@mmo/platform';
import type { Request, Response } from 'express';
import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { findAccountByCredentials, type AccountDeps } from './account.service.js';

/**
 * A passport instance of our own (not the module-level singleton, so that several apps can
 * live in one process) with the local username/password strategy and no cookie sessions:
 * the API hands out tokens instead.
 */
export function createPassport(deps: AccountDeps): InstanceType<typeof Passport> {
  const passport = new Passport();
  passport.use(
    'local',
    new LocalStrategy({ usernameField: 'username', passwordField: 'password', session: false }, (username, password, done) => {
      findAccountByCredentials(deps, username, password).then(
        (account) => done(null, account ?? false),
        (error: unknown) => done(error),
      );
    }),
  );
  return passport;
}

/** Runs the local strategy on a request whose body was already validated; null when it failed. */
export function authenticateWithPassword(
  passport: InstanceType<typeof Passport>,
  req: Request,
  res: Response,
): Promise<Account | null> {
  return new Promise((resolve, reject) => {
    const handler = passport.authenticate('local', { session: false }, (error: unknown, account: Account | false) => {
      if (error) reject(error);
      else resolve(account || null);
    }) as (req: Request, res: Response, next: (error?: unknown) => void) => void;
    handler(req, res, reject);
  });
}
