/**
 * Vocabulary for synthetic memories, most frequent first within each list (rank drives the Zipf weights).
 * Hand-picked from everyday conversation so the embedder knows the words, as it would in real memories;
 * the long tail of rare words (names, places, brands) is generated from syllables in synthetic.ts.
 */

export const FUNCTION_WORDS = (
  'the I to and a of it in that is was my you for on we with have but so at this had be just they ' +
  'me not are he she about all there what from her our out if his like when up one get some them by ' +
  'do an would really been can will as then because also more than very after before its into too'
).split(' ');

export const CONTENT_WORDS =
  // common verbs
  (
    'went got going think know want said made love need started feel took came told trying ' +
    'found saw bought tried looking thinking working planning reading watching playing cooking ' +
    'finished visited learned moved helped called decided joined painted wrote ran booked ' +
    'adopted baked fixed signed practiced remember enjoy hope miss share celebrate ' +
    // everyday nouns
    'time day week weekend year today yesterday family friends kids work job home house ' +
    'trip dinner lunch breakfast book music movie class school team dog cat garden car city ' +
    'party birthday project idea photo picture game coffee weather vacation beach park ' +
    'mom dad sister brother daughter son wife husband friend neighbor boss coworker teacher ' +
    'doctor appointment meeting interview concert festival museum library restaurant cafe ' +
    'recipe cake bread soup pasta salad pizza chocolate tea wine garden flowers plants ' +
    'painting pottery guitar piano violin drawing poetry novel podcast series show ' +
    'marathon run hike bike swim yoga gym workout training race soccer basketball tennis ' +
    'flight hotel airport train bus ticket passport luggage mountains lake river forest ' +
    'camping island country village apartment kitchen bedroom office shop market store ' +
    'money budget salary rent bills savings loan gift present card letter message email ' +
    'phone laptop camera app website computer screen headphones keyboard printer ' +
    'health knee back headache cold fever allergy medicine therapy sleep diet vitamins ' +
    'career promotion business startup company client product launch deadline report ' +
    'volunteering charity shelter community church club group workshop course degree ' +
    'exam homework lesson tutor research thesis conference talk presentation article ' +
    'puppy kitten horse bird fish turtle hamster pet vet walk toy leash ' +
    'snow rain sun summer winter spring autumn morning evening night ' +
    // adjectives and adverbs
    'good great new big little old nice amazing happy excited proud tired busy hard fun ' +
    'beautiful favorite special important different awesome lovely cozy quiet crazy ' +
    'healthy stressful relaxing delicious expensive cheap early late long short ' +
    'finally actually definitely recently always usually sometimes never together again ' +
    // colours, numbers and time words
    'red blue green yellow black white purple orange ' +
    'two three four five ten twenty hundred first second last next ' +
    'monday tuesday wednesday thursday friday saturday sunday ' +
    'january february march april may june july august september october november december'
  ).split(/\s+/);

/** Openers that make generated text read like chat turns. */
export const OPENERS = [
  'I',
  'Yesterday I',
  'Last week I',
  'My',
  'We',
  'Honestly I',
  'So I',
  'Guess what, I',
  'This weekend we',
  'Oh, and my',
  'I think',
  'Remember when I',
  'Can you believe',
  'By the way, my',
];

export const QUESTION_OPENERS = [
  'What did I say about',
  'When did I',
  'Do you remember my',
  'Where was the',
  'Who went to the',
  'How was the',
  'What happened with the',
  'Tell me about the',
];

/** Syllables for the long tail of rare words (names, places, brands). */
export const SYLLABLES = (
  'ka lo ri ven ta mar sol bel dor an el is ur ne vi ra to mi sa len kor dan fel gar hal ' +
  'jor lin mon nar pel quin ros sten tal vor wen yel zan bri cal dre fin gol har'
).split(' ');
