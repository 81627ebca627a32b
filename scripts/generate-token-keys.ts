// `npm run keys:generate`: a new Ed25519 key pair for access tokens, printed as two .env lines
// (base64 of PEM, so each fits on one line). TOKEN_PRIVATE_KEY goes to the primary only;
// TOKEN_PUBLIC_KEY to every service. Nothing is written to disk.
import { generateTokenKeyPair } from '@mmo/platform';

const pair = generateTokenKeyPair();
process.stdout.write(`TOKEN_PRIVATE_KEY=${Buffer.from(pair.privateKeyPem).toString('base64')}\n`);
process.stdout.write(`TOKEN_PUBLIC_KEY=${Buffer.from(pair.publicKeyPem).toString('base64')}\n`);
