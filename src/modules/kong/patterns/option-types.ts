import { z } from 'zod';

/** Option building blocks more than one pattern uses. */
export const stepName = z.string().min(1).max(100);
