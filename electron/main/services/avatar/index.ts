/** Placeholder until avatar cue tracks land. */
export class AvatarService {}
