import { TranscriptDeltas } from './transcript-deltas';

describe('TranscriptDeltas', () => {
  function run(steps: Array<['partial' | 'final', string]>): string[] {
    const deltas: string[] = [];
    const tracker = new TranscriptDeltas((delta) => deltas.push(delta));
    for (const [kind, text] of steps) tracker[kind](text);
    return deltas;
  }

  it('sends the words of growing partials but the last, then the rest from the final', () => {
    expect(
      run([
        ['partial', 'open'],
        ['partial', 'open the'],
        ['partial', 'open the win'],
        ['partial', 'open the window'],
        ['final', 'Open the window.'],
        ['partial', 'close the'],
        ['final', 'Close the door.'],
      ]),
    ).toEqual(['open', ' the', ' window.', ' close', ' the door.']);
  });

  it('holds back once a partial changes course, and lets the final fill in by position', () => {
    expect(
      run([
        ['partial', 'wreck a nice'],
        ['partial', 'recognize speech today'],
        ['final', 'Recognize speech today.'],
      ]),
    ).toEqual(['wreck a', ' today.']);
  });

  it('an utterance that came to nothing sends nothing and starts the next afresh', () => {
    expect(
      run([
        ['partial', 'hmm uh'],
        ['final', ''],
        ['partial', 'yes please'],
        ['final', 'Yes, please.'],
      ]),
    ).toEqual(['hmm', ' yes', ' please.']);
  });
});
