// Loaded with `node --require` into the built service by the start-up tests: makes Node itself speak, as a
// deprecation or a bug would, once the service's own code has started. WARMLINE_TEST_NODE_EVENT picks what.
const event = process.env.WARMLINE_TEST_NODE_EVENT;
require('node:timers').setTimeout(() => {
  if (event === 'warning') process.emitWarning('a test warning', 'DeprecationWarning', 'DEP_TEST');
  if (event === 'crash') throw new Error('a test crash');
}, 0);
