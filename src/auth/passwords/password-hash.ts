import * as argon2 from 'argon2';

/** Every password is kept as an argon2id hash (PRODUCT.md "Data model"). */
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

/** False for a wrong password and for a hash argon2 cannot read. */
export const passwordMatches = (hash: string, password: string) =>
  argon2.verify(hash, password).catch(() => false);
