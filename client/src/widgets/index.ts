// The entry of `widgets.js`: one <script type="module"> tag registers every widget element.
// A page that loads the script twice (two embeds) keeps the first definition.
import { MmoCharacterCardElement } from './character-card.widget.js';
import { MmoLeaderboardElement } from './leaderboard.widget.js';

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['mmo-leaderboard', MmoLeaderboardElement],
  ['mmo-character-card', MmoCharacterCardElement],
];

for (const [tag, constructor] of ELEMENTS) {
  if (!customElements.get(tag)) customElements.define(tag, constructor);
}
