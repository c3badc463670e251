import { useLibrary } from './store';

/** Rating and favourite of one video from a card or a row: saved through the contract, the grid refreshes. */
export function curate(id: number, patch: { rating?: number; favourite?: boolean }): void {
  void useLibrary.getState().curate(id, patch);
}
