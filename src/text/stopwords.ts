/**
 * Stop words: function words dropped before indexing because they match nearly every memory and so only
 * add noise to BM25 (their IDF is near zero anyway; dropping them also keeps the FTS index small).
 *
 * Policy (see docs/text-analysis.md):
 * - English: articles, pronouns, auxiliaries, prepositions, conjunctions and question words — close to the
 *   classic NLTK list — but NOT negations ("not", "no", "never", "nor"), numbers, or time words, which
 *   change what a memory says ("allergic" vs "not allergic").
 * - The query side additionally drops words that only frame a question ("ever", "remember", "tell").
 * - Chinese/Japanese: particles, pronouns and question words; whole segmented words are matched, so a stop
 *   character never removes a content word that contains it (过 stays in 过敏).
 */

export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else so than that this these those there here ' +
    'i me my mine myself we us our ours ourselves you your yours yourself yourselves ' +
    'he him his himself she her hers herself it its itself they them their theirs themselves ' +
    'am is are was were be been being have has had having do does did doing ' +
    'will would shall should can could may might must ' +
    'of at by for with about against between into through to from up down in out on off over under ' +
    'during before after above below again further once as until while because ' +
    'all any both each few more most other some such only own same too very just ' +
    'what which who whom whose when where why how ' +
    's t d ll m re ve y'
  ).split(' '),
);

/** Dropped from queries only: they frame the question and rarely occur in the memory that answers it. */
export const ENGLISH_QUERY_STOP_WORDS: ReadonlySet<string> = new Set(
  'ever please tell told remember recall anything something anyone someone'.split(' '),
);

/** Whole CJK words (as Intl.Segmenter returns them) dropped on both sides. */
export const CJK_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 地 得 了 着 吗 呢 吧 啊 呀 哦 嗯 嘛 是 在 和 与 及 或 也 都 就 还 又 很 太 ' +
    '我 你 您 他 她 它 我们 你们 他们 她们 它们 咱们 我的 你的 他的 她的 ' +
    '这 那 这个 那个 这些 那些 这里 那里 一个 有 个 把 被 对 从 给 让 向 于 等 ' +
    // Japanese particles and copula forms the segmenter splits off.
    'は が を に で と も の へ や か ね よ です ます した ました だ'
  ).split(' '),
);

/** Question words dropped from CJK queries only. */
export const CJK_QUERY_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '什么 哪 哪里 哪儿 哪个 哪些 哪天 怎么 怎样 怎么样 为什么 谁 多少 几 是否 请问 记得 还记得 告诉 知道 ' +
    '何 なに なん どこ いつ だれ'
  ).split(' '),
);

/**
 * Characters that are almost never the meaningful half of a query bigram. A query bigram containing one is
 * dropped (「对什么药过敏」 keeps 药过 and 过敏, drops 对什, 什么, 么药); whole words are still matched.
 */
export const CJK_QUERY_STOP_CHARS: ReadonlySet<string> = new Set(
  '的了吗呢吧啊呀么什哪谁我你您他她它是在和对有个这那把被'.split(''),
);
