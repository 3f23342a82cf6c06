import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini loads no locale: without this every issue would read "Invalid input". The English one
// (about 3 kB) keeps the default messages that settings errors and contract descriptions show.
config(en());
