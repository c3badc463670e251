/**
 * Expressions as data: what each expression is for (agents read the description and "when to use it" to
 * choose) and how the drawn face looks with it. The built-in set is written in the same form a user's
 * expression file uses (see docs/avatar.md), so both are drawn by one code path in the preview and the bake.
 */
import { z } from 'zod';

export const EYE_SHAPES = ['open', 'closed-up', 'closed-down', 'wink'] as const;
export const MOUTH_SHAPES = ['line', 'grin', 'smile', 'frown', 'o', 'dot', 'talking'] as const;

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

export type FaceLook = z.output<typeof faceLookSchema>;
export type FaceColours = NonNullable<FaceLook['colours']>;

/** An expression file's name (without .json) is the expression's name. */
export const EXPRESSION_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

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

export interface ExpressionDef {
  name: string;
  description: string;
  whenToUse: string;
  builtIn: boolean;
  face: FaceLook;
}

const look = (l: Partial<FaceLook>): FaceLook => ({
  eyes: 'open',
  eyeScale: 1,
  brows: null,
  mouth: 'line',
  mouthWidth: 1,
  mouthShift: 0,
  blush: 0.55,
  zzz: false,
  colours: {},
  ...l,
});

export const BUILTIN_EXPRESSIONS: readonly ExpressionDef[] = [
  { name: 'neutral', description: 'Calm, attentive, a straight mouth.', whenToUse: 'the default; listening, explaining, or between moments', builtIn: true, face: look({}) },
  {
    name: 'happy',
    description: 'Smiling eyes and a wide open smile.',
    whenToUse: 'greeting, praise, good news, a joke landing',
    builtIn: true,
    face: look({ eyes: 'closed-up', mouth: 'grin' }),
  },
  {
    name: 'sad',
    description: 'Raised inner brows and a small frown.',
    whenToUse: 'bad news, sympathy, an apology',
    builtIn: true,
    face: look({ eyeScale: 0.95, brows: { inner: -0.06, outer: 0.04 }, mouth: 'frown' }),
  },
  {
    name: 'surprised',
    description: 'Wide eyes, raised brows, a round open mouth.',
    whenToUse: 'something unexpected on screen, a reveal, a plot twist',
    builtIn: true,
    face: look({ eyeScale: 1.25, brows: { inner: -0.1, outer: -0.06 }, mouth: 'o' }),
  },
  {
    name: 'angry',
    description: 'Lowered inner brows and a wide frown.',
    whenToUse: 'playful outrage, a warning, something that went wrong',
    builtIn: true,
    face: look({ eyeScale: 0.9, brows: { inner: 0.1, outer: -0.04 }, mouth: 'frown', mouthWidth: 0.26 / 0.18, mouthShift: -0.02 }),
  },
  {
    name: 'sleepy',
    description: 'Closed eyes, a tiny mouth and a "z" drifting up.',
    whenToUse: 'slow or quiet parts, calm endings, boredom',
    builtIn: true,
    face: look({ eyes: 'closed-down', mouth: 'dot', zzz: true }),
  },
  {
    name: 'wink',
    description: 'One eye closed and a small smile.',
    whenToUse: 'a joke, a hint, an aside to the viewer',
    builtIn: true,
    face: look({ eyes: 'wink', mouth: 'smile' }),
  },
  {
    name: 'talking',
    description: 'An open mouth mid-word.',
    whenToUse: 'a still picture of speaking (for moving lips, give speakSec instead)',
    builtIn: true,
    face: look({ mouth: 'talking' }),
  },
];

export const BUILTIN_EXPRESSION_NAMES = BUILTIN_EXPRESSIONS.map((e) => e.name);

/** Faces by expression name; what a drawing is given to know the user's expressions. */
export type FaceBook = ReadonlyMap<string, FaceLook>;

export const BUILTIN_FACES: FaceBook = new Map(BUILTIN_EXPRESSIONS.map((e) => [e.name, e.face]));

/** The face of an expression: from the book, else a built-in, else neutral's (a name whose file was removed). */
export function faceOf(name: string, book?: FaceBook): FaceLook {
  return book?.get(name) ?? BUILTIN_FACES.get(name) ?? BUILTIN_FACES.get('neutral')!;
}

export function faceBookOf(expressions: readonly ExpressionDef[]): FaceBook {
  return new Map(expressions.map((e) => [e.name, e.face]));
}

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
