/**
 * The user's expression file format (<dataDir>/avatar/expressions/<name>.json) and its parser. Kept apart from
 * expressions.ts so the renderer, which only draws faces, does not bundle zod.
 */
import { z } from 'zod';
import { BUILTIN_EXPRESSION_NAMES, BUILTIN_FACES, EXPRESSION_NAME, EYE_SHAPES, MOUTH_SHAPES, type ExpressionDef, type FaceBook } from './expressions';

const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like "#ff88aa"');
const colours = z
  .object({
    skin: hex,
    hair: hex,
    hairDark: hex,
    line: hex,
    blush: hex,
    eyes: hex,
    mouth: hex,
    halo: hex,
  })
  .partial()
  .strict();

/** How the face looks: every field optional in a file (it starts from its `base` expression). */
export const faceLookSchema = z
  .object({
    eyes: z.enum(EYE_SHAPES),
    /** Size of the eyes (1: the built-in size). */
    eyeScale: z.number().min(0.5).max(1.6),
    /** Eyebrows: how far the inner and outer ends sit above (−) or below (+) their rest, in face radii; null: none. */
    brows: z.object({ inner: z.number().min(-0.2).max(0.2), outer: z.number().min(-0.2).max(0.2) }).strict().nullable(),
    mouth: z.enum(MOUTH_SHAPES),
    /** Width of the mouth (1: the built-in width of that shape). */
    mouthWidth: z.number().min(0.4).max(2),
    /** Moves the mouth down (+) or up (−), in face radii. */
    mouthShift: z.number().min(-0.2).max(0.2),
    /** Opacity of the cheeks' blush (0: none). */
    blush: z.number().min(0).max(1),
    /** A small "z" beside the head. */
    zzz: z.boolean(),
    colours,
  })
  .strict();

/** One user expression file: <dataDir>/avatar/expressions/<name>.json. */
export const expressionFileSchema = z
  .object({
    description: z.string().min(1).max(200),
    whenToUse: z.string().min(1).max(300),
    /** The expression whose face this one starts from (default neutral). */
    base: z.string().regex(EXPRESSION_NAME).optional(),
    face: faceLookSchema.partial().strict().default({}),
  })
  .strict();

/**
 * A user expression from a file's parsed JSON; throws an Error whose message names the field and says what
 * is wanted (the caller prefixes the file).
 */
export function parseExpressionFile(name: string, json: unknown, known: FaceBook): ExpressionDef {
  if (!EXPRESSION_NAME.test(name)) throw new Error('the file name must be the expression name: lower-case letters, digits and -, up to 32, then .json');
  if (BUILTIN_FACES.has(name)) throw new Error(`"${name}" is a built-in expression; give the file another name`);
  const r = expressionFileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : '(the whole file)';
    throw new Error(`${field}: ${issue.message}`);
  }
  const base = r.data.base ?? 'neutral';
  const from = known.get(base) ?? BUILTIN_FACES.get(base);
  if (!from) throw new Error(`base: "${base}" is not a built-in expression (${BUILTIN_EXPRESSION_NAMES.join(', ')})`);
  const { colours, ...rest } = r.data.face;
  return {
    name,
    description: r.data.description,
    whenToUse: r.data.whenToUse,
    builtIn: false,
    face: { ...from, ...rest, colours: { ...from.colours, ...colours } },
  };
}
