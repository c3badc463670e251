/**
 * Expressions as data: what each expression is for (agents read the description and "when to use it" to
 * choose) and how the drawn face looks with it. The built-in set is written in the same form a user's
 * expression file uses (see docs/avatar.md), so both are drawn by one code path in the preview and the bake.
 */
export const EYE_SHAPES = ['open', 'closed-up', 'closed-down', 'wink'] as const;
export const MOUTH_SHAPES = ['line', 'grin', 'smile', 'frown', 'o', 'dot', 'talking'] as const;

export type FaceColours = Partial<Record<'skin' | 'hair' | 'hairDark' | 'line' | 'blush' | 'eyes' | 'mouth' | 'halo', string>>;

/** How the face looks (the ranges a file may use: expressionFile.ts). */
export interface FaceLook {
  eyes: (typeof EYE_SHAPES)[number];
  /** Size of the eyes (1: the built-in size). */
  eyeScale: number;
  /** Eyebrows: how far the inner and outer ends sit above (−) or below (+) their rest, in face radii; null: none. */
  brows: { inner: number; outer: number } | null;
  mouth: (typeof MOUTH_SHAPES)[number];
  /** Width of the mouth (1: the built-in width of that shape). */
  mouthWidth: number;
  /** Moves the mouth down (+) or up (−), in face radii. */
  mouthShift: number;
  /** Opacity of the cheeks' blush (0: none). */
  blush: number;
  /** A small "z" beside the head. */
  zzz: boolean;
  /** "#rrggbb" colours replacing the built-in ones. */
  colours: FaceColours;
}

/** An expression file's name (without .json) is the expression's name. */
export const EXPRESSION_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;

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
