// Prints the size of the site VitePress just built (the last line of `npm run docs`).
import { describeSiteSize, siteSize } from './site-size.js';

process.stdout.write(`${describeSiteSize(siteSize())}\n`);
