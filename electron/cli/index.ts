/** The command line (`npm run gloss -- <command>`); grown by the export issue. */
console.log('gloss: no commands yet');
