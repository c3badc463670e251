import type { avatarRequests } from '../../../shared/contract/avatar';
import type { AvatarCue } from '../../../shared/dto/avatar';
import type { AvatarService } from '../../domains/avatar';
import type { DomainHandlers } from './types';

export function avatarHandlers(avatar: AvatarService): DomainHandlers<typeof avatarRequests> {
  return {
    'avatar.getTrack': ({ videoId }) => avatar.getTrack(videoId),
    'avatar.saveTrack': ({ videoId, cues }) => avatar.saveTrack(videoId, cues as AvatarCue[]),
    'avatar.push': (input) => avatar.push(input),
    'avatar.pushScript': (input) => avatar.pushScript(input),
    'avatar.loudness': ({ videoId }) => avatar.loudness(videoId),
    'avatar.expressions': () => avatar.listExpressions(),
    'avatar.facePicture': () => avatar.facePictureDto(),
    'avatar.state': ({ videoId, at, aroundSec }) => avatar.state(videoId, at, aroundSec),
    'avatar.playhead': ({ videoId, t, playing }) => {
      avatar.reportPlayhead(videoId, t, playing);
      return null;
    },
    'avatar.getSettings': () => avatar.getSettings(),
    'avatar.setSettings': (patch) => avatar.setSettings(patch),
  };
}
