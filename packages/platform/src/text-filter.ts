import {
  DataSet,
  englishDataset,
  englishRecommendedTransformers,
  pattern,
  RegExpMatcher,
  TextCensor,
  asteriskCensorStrategy,
} from 'obscenity';

/**
 * Profanity in player-written text, by the `obscenity` library's English word list, which
 * also catches the usual disguises (leetspeak, repeated or spaced letters) without flagging
 * innocent words that contain a bad one ("assassin"). A deployment adds its own words.
 */
export class TextFilter {
  private readonly matcher: RegExpMatcher;
  private readonly censor = new TextCensor().setStrategy(asteriskCensorStrategy());

  constructor(options: { extraWords?: readonly string[] } = {}) {
    const dataset = new DataSet<{ originalWord: string }>().addAll(englishDataset);
    for (const word of options.extraWords ?? []) {
      const clean = word.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
      if (clean) dataset.addPhrase((phrase) => phrase.setMetadata({ originalWord: clean }).addPattern(pattern`${clean}`));
    }
    this.matcher = new RegExpMatcher({ ...dataset.build(), ...englishRecommendedTransformers });
  }

  /** Whether the text contains a listed word; for names, which are refused rather than masked. */
  isProfane(text: string): boolean {
    return this.matcher.hasMatch(text);
  }

  /** The text with every listed word masked by asterisks; chat and messages are kept, masked. */
  clean(text: string): string {
    const matches = this.matcher.getAllMatches(text, true);
    return matches.length === 0 ? text : this.censor.applyTo(text, matches);
  }
}
