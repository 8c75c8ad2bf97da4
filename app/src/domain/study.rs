//! Party study (学习): points for each activity under a daily cap (in the style of
//! 学习强国), an append-only ledger with the reason for every point, streaks,
//! rankings, and the daily quiz whose answers only the server sees and checks.
use crate::domain::AppError;
use crate::i18n::{Lang, Msg};
use serde::{Deserialize, Serialize};

/// What earns points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Activity {
    /// Daily sign-in (每日登录).
    SignIn,
    /// Reading a lesson to the end.
    Reading,
    /// Each right answer in the daily quiz.
    DailyQuiz,
    /// Each right answer in the weekly quiz.
    WeeklyQuiz,
    /// Attending a 三会一课 meeting.
    Meeting,
}

impl Activity {
    pub const ALL: [Activity; 5] = [
        Activity::SignIn,
        Activity::Reading,
        Activity::DailyQuiz,
        Activity::WeeklyQuiz,
        Activity::Meeting,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::SignIn => "sign_in",
            Activity::Reading => "reading",
            Activity::DailyQuiz => "daily_quiz",
            Activity::WeeklyQuiz => "weekly_quiz",
            Activity::Meeting => "meeting",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
    pub fn label(self) -> Msg {
        match self {
            Activity::SignIn => Msg::StudySignInActivity,
            Activity::Reading => Msg::StudyReading,
            Activity::DailyQuiz => Msg::StudyDailyQuiz,
            Activity::WeeklyQuiz => Msg::StudyWeeklyQuiz,
            Activity::Meeting => Msg::StudyMeeting,
        }
    }
}

/// Points per occurrence of an activity, and at most how many a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsRule {
    pub activity: Activity,
    pub points: u32,
    pub daily_cap: u32,
    pub active: bool,
}

pub const POINTS_MAX: u32 = 100;
pub const CAP_MAX: u32 = 1000;

pub fn check_points_rule(r: &PointsRule) -> Result<(), AppError> {
    if !(1..=POINTS_MAX).contains(&r.points) {
        return Err(AppError::invalid("points", Msg::ErrStudyPoints));
    }
    if !(r.points..=CAP_MAX).contains(&r.daily_cap) {
        return Err(AppError::invalid("daily_cap", Msg::ErrStudyCap));
    }
    Ok(())
}

/// What one more occurrence earns when `so_far` points were earned today: the rule's
/// points, cut to what the cap leaves.
pub fn award(points: u32, cap: u32, so_far: u32) -> u32 {
    points.min(cap.saturating_sub(so_far))
}

const DAY_MS: i64 = 24 * 3600 * 1000;
const CST_MS: i64 = 8 * 3600 * 1000;

/// Days since 1970-01-01 in China time: the "today" caps and streaks count in.
pub fn day_number(ms: i64) -> i64 {
    (ms + CST_MS).div_euclid(DAY_MS)
}

/// Days in a row with points, ending today (or yesterday, when today has none yet).
/// `days` may come in any order and repeat.
pub fn streak(days: &[i64], today: i64) -> u32 {
    let has = |d: i64| days.contains(&d);
    let mut d = if has(today) { today } else { today - 1 };
    let mut n = 0;
    while has(d) {
        n += 1;
        d -= 1;
    }
    n
}

/// Today's points for one activity against its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TodayLine {
    pub activity: Activity,
    pub points: u32,
    pub cap: u32,
}

/// One ledger entry, newest first on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub at: i64,
    pub activity: Activity,
    pub points: u32,
    pub reason: String,
}

/// A member's study page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudyHome {
    pub total: u32,
    pub month: u32,
    pub streak: u32,
    pub signed_in_today: bool,
    pub today: Vec<TodayLine>,
    pub ledger: Vec<LedgerLine>,
    /// 1 = first; `None` before any points.
    pub rank_month: Option<u32>,
    pub rank_total: Option<u32>,
    /// Daily-quiz questions still to draw today.
    pub quiz_left: u32,
    /// Questions in the 错题本.
    pub wrong: u32,
}

/// One line of a ranking (names masked except one's own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankLine {
    pub rank: u32,
    pub name: String,
    pub points: u32,
    pub me: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rankings {
    pub month: Vec<RankLine>,
    pub total: Vec<RankLine>,
}

/// Ranks `(user, points)` sorted by points (highest first); equal points share a rank.
pub fn ranks(sorted: &[(i64, u32)]) -> Vec<u32> {
    let mut out = Vec::with_capacity(sorted.len());
    for (i, (_, p)) in sorted.iter().enumerate() {
        let rank = match (i, out.last()) {
            (0, _) | (_, None) => 1,
            (_, Some(prev)) if sorted[i - 1].1 == *p => *prev,
            _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
        };
        out.push(rank);
    }
    out
}

/// Question kinds of the bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuestionKind {
    /// One of the options (answer `B`).
    Single,
    /// Some of the options (answer `AC`).
    Multiple,
    /// True or false (answer `T` or `F`).
    Judge,
    /// Fill in the blank (the answer's text).
    Blank,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::Judge => "judge",
            QuestionKind::Blank => "blank",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            "judge" => Some(QuestionKind::Judge),
            "blank" => Some(QuestionKind::Blank),
            _ => None,
        }
    }
    pub fn label(self) -> Msg {
        match self {
            QuestionKind::Single => Msg::StudySingle,
            QuestionKind::Multiple => Msg::StudyMultiple,
            QuestionKind::Judge => Msg::StudyJudge,
            QuestionKind::Blank => Msg::StudyBlank,
        }
    }
}

/// A question as the member sees it: no answer, no explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
}

/// A drawn quiz.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiz {
    pub attempt: i64,
    /// A review of the 错题本 (no points) rather than the daily quiz.
    pub review: bool,
    pub questions: Vec<QuizQuestion>,
}

/// A question in the 错题本 stays until answered right this many times since.
pub const REVIEW_RIGHT_TIMES: u32 = 2;

/// A question of the bank as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
    pub active: bool,
}

/// A question as an admin writes it in the browser (`id` none: a new one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionInput {
    pub id: Option<i64>,
    pub kind: QuestionKind,
    pub stem: String,
    /// Up to six options, in order (empty ones are left out).
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
}

/// A question in one's 错题本, with its answer (it was already answered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrongAnswer {
    pub question: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
    /// Right answers since it was last wrong.
    pub right_times: u32,
}

/// Questions in one daily quiz.
pub const DAILY_QUESTIONS: usize = 5;
pub const ANSWER_MAX: usize = 100;

/// One answered question, after the server checked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemResult {
    pub question: i64,
    pub kind: QuestionKind,
    pub stem: String,
    /// The options as shown (choice questions), so the review can name them.
    pub options: Vec<String>,
    pub given: String,
    pub answer: String,
    pub right: bool,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    pub correct: u32,
    pub total: u32,
    /// Points earned (the daily cap may leave fewer than the right answers).
    pub points: u32,
    pub items: Vec<ItemResult>,
}

/// An answer in the bank's form: option letters upper-case and sorted (`ca` → `AC`),
/// true/false as `T`/`F` (对/错/√/×/是/否 too), a blank's text without spaces.
pub fn normalize(kind: QuestionKind, given: &str) -> String {
    let g = given.trim();
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let mut letters: Vec<char> = g
                .chars()
                .filter(|c| c.is_ascii_alphabetic())
                .map(|c| c.to_ascii_uppercase())
                .collect();
            letters.sort_unstable();
            letters.dedup();
            letters.into_iter().collect()
        }
        QuestionKind::Judge => match g {
            "T" | "t" | "对" | "√" | "是" | "正确" | "true" => "T".into(),
            "F" | "f" | "错" | "×" | "否" | "错误" | "false" => "F".into(),
            _ => String::new(),
        },
        QuestionKind::Blank => g
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .collect(),
    }
}

/// An answer in the bank's form as a resident reads it: each chosen option's letter
/// with its text (`A. 为人民服务；C. …`), 对/错 for true or false, a blank's text
/// as written; "未作答" when nothing was given.
pub fn answer_text(kind: QuestionKind, options: &[String], answer: &str, lang: Lang) -> String {
    if answer.is_empty() {
        return Msg::StudyNoAnswer.text(lang).to_owned();
    }
    match kind {
        QuestionKind::Single | QuestionKind::Multiple => answer
            .chars()
            .map(|c| {
                let text = u32::from(c)
                    .checked_sub(u32::from('A'))
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| options.get(i));
                match text {
                    Some(t) => format!("{c}. {t}"),
                    None => c.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "；" } else { "; " }),
        QuestionKind::Judge => match answer {
            "T" => Msg::StudyTrue.text(lang).to_owned(),
            "F" => Msg::StudyFalse.text(lang).to_owned(),
            other => other.to_owned(),
        },
        QuestionKind::Blank => answer.to_owned(),
    }
}

/// Whether `given` is the bank's `answer` (both normalised).
pub fn is_right(kind: QuestionKind, answer: &str, given: &str) -> bool {
    let a = normalize(kind, answer);
    !a.is_empty() && a == normalize(kind, given)
}

/// The columns of a question-bank file, by their Chinese or English heading.
pub const QUESTION_COLUMNS: [(&str, &str); 10] = [
    ("kind", "题型"),
    ("stem", "题干"),
    ("a", "选项A"),
    ("b", "选项B"),
    ("c", "选项C"),
    ("d", "选项D"),
    ("e", "选项E"),
    ("f", "选项F"),
    ("answer", "答案"),
    ("explanation", "解析"),
];
pub const STEM_MAX: usize = 300;
pub const OPTION_MAX: usize = 100;
pub const EXPLANATION_MAX: usize = 500;
/// Options sit in columns 2..8 of [`QUESTION_COLUMNS`].
const OPTION_COLUMNS: std::ops::Range<usize> = 2..8;

/// A question checked and ready for the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewQuestion {
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<String>,
    /// In the bank's form (see [`normalize`]).
    pub answer: String,
    pub explanation: String,
}

/// 题型 as people write it: 单选/单选题/single …
pub fn parse_kind(s: &str) -> Option<QuestionKind> {
    match s.trim() {
        "单选" | "单选题" | "single" => Some(QuestionKind::Single),
        "多选" | "多选题" | "multiple" => Some(QuestionKind::Multiple),
        "判断" | "判断题" | "judge" => Some(QuestionKind::Judge),
        "填空" | "填空题" | "blank" => Some(QuestionKind::Blank),
        _ => None,
    }
}

/// Where each column sits; the missing required headings (题型, 题干, 答案) as row 1's
/// error.
pub fn map_question_header(
    header: &[String],
) -> Result<[Option<usize>; 10], crate::domain::resident::RowError> {
    let mut at = [None; 10];
    for (i, h) in header.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}');
        if let Some(c) = QUESTION_COLUMNS
            .iter()
            .position(|(en, zh)| en.eq_ignore_ascii_case(h) || *zh == h)
        {
            at[c] = Some(i);
        }
    }
    if let Some(c) = [0, 1, 8].into_iter().find(|c| at[*c].is_none()) {
        return Err(crate::domain::resident::RowError {
            row: 1,
            column: QUESTION_COLUMNS[c].1.to_owned(),
            msg: Msg::ErrColumnMissing,
            value: String::new(),
        });
    }
    Ok(at)
}

/// Checks one row (`row` as the spreadsheet numbers it); every problem is reported.
pub fn check_question_row(
    row: usize,
    cells: &[String],
    at: &[Option<usize>; 10],
) -> Result<NewQuestion, Vec<crate::domain::resident::RowError>> {
    let get = |c: usize| {
        at[c]
            .and_then(|i| cells.get(i))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    let mut err = |c: usize, msg: Msg, value: &str| {
        errors.push(crate::domain::resident::RowError {
            row,
            column: QUESTION_COLUMNS[c].1.to_owned(),
            msg,
            value: value.chars().take(40).collect(),
        });
    };
    let kind_text = get(0);
    let kind = parse_kind(&kind_text);
    if kind.is_none() {
        err(0, Msg::ErrQuestionKind, &kind_text);
    }
    let stem = get(1);
    if stem.is_empty() || stem.chars().count() > STEM_MAX {
        err(1, Msg::ErrQuestionStem, &stem);
    }
    let options: Vec<String> = OPTION_COLUMNS.map(get).filter(|o| !o.is_empty()).collect();
    if let Some(o) = options.iter().find(|o| o.chars().count() > OPTION_MAX) {
        err(2, Msg::ErrQuestionOptions, o);
    }
    let raw_answer = get(8);
    let explanation = get(9);
    if explanation.chars().count() > EXPLANATION_MAX {
        err(9, Msg::ErrQuestionExplanation, &explanation);
    }
    let mut answer = String::new();
    if let Some(k) = kind {
        answer = normalize(k, &raw_answer);
        let letters_ok = |a: &str| {
            a.chars()
                .all(|c| (usize::from(c as u8 - b'A')) < options.len())
        };
        match k {
            QuestionKind::Single | QuestionKind::Multiple if options.len() < 2 => {
                err(2, Msg::ErrQuestionOptions, "");
            }
            QuestionKind::Single if answer.len() != 1 || !letters_ok(&answer) => {
                err(8, Msg::ErrQuestionAnswer, &raw_answer);
            }
            QuestionKind::Multiple if answer.len() < 2 || !letters_ok(&answer) => {
                err(8, Msg::ErrQuestionAnswer, &raw_answer);
            }
            QuestionKind::Judge | QuestionKind::Blank
                if answer.is_empty() || answer.chars().count() > ANSWER_MAX =>
            {
                err(8, Msg::ErrQuestionAnswer, &raw_answer);
            }
            _ => {}
        }
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok(NewQuestion {
            kind,
            stem,
            options: if matches!(kind, QuestionKind::Judge | QuestionKind::Blank) {
                Vec::new()
            } else {
                options
            },
            answer,
            explanation,
        }),
        _ => Err(errors),
    }
}

/// Checks a question written in the browser with the import's rules; the first
/// problem as the field's error (`kind`, `stem`, `options`, `answer`, `explanation`).
pub fn check_question(q: &QuestionInput) -> Result<NewQuestion, AppError> {
    let options: Vec<String> = q
        .options
        .iter()
        .map(|o| o.trim().to_owned())
        .filter(|o| !o.is_empty())
        .collect();
    if options.len() > OPTION_COLUMNS.len() {
        return Err(AppError::invalid("options", Msg::ErrQuestionOptions));
    }
    let mut cells = vec![q.kind.as_str().to_owned(), q.stem.clone()];
    cells.extend((0..OPTION_COLUMNS.len()).map(|i| options.get(i).cloned().unwrap_or_default()));
    cells.push(q.answer.clone());
    cells.push(q.explanation.clone());
    let at: [Option<usize>; 10] = std::array::from_fn(Some);
    check_question_row(1, &cells, &at).map_err(|errors| {
        let first = errors.first();
        let field =
            match first.and_then(|e| QUESTION_COLUMNS.iter().position(|(_, zh)| *zh == e.column)) {
                Some(0) => "kind",
                Some(1) => "stem",
                Some(8) => "answer",
                Some(9) => "explanation",
                _ => "options",
            };
        AppError::invalid(field, first.map_or(Msg::ErrQuestionOptions, |e| e.msg))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_read_as_words_not_letters() {
        let opts: Vec<String> = ["为人民服务", "为自己", "实事求是"]
            .map(String::from)
            .into();
        let t = |k, a, l| answer_text(k, &opts, a, l);
        assert_eq!(t(QuestionKind::Single, "A", Lang::Zh), "A. 为人民服务");
        assert_eq!(
            t(QuestionKind::Multiple, "AC", Lang::Zh),
            "A. 为人民服务；C. 实事求是"
        );
        assert_eq!(
            t(QuestionKind::Multiple, "AC", Lang::En),
            "A. 为人民服务; C. 实事求是"
        );
        // A letter past the options (an edited question) still shows, as the letter.
        assert_eq!(t(QuestionKind::Single, "E", Lang::Zh), "E");
        assert_eq!(t(QuestionKind::Judge, "T", Lang::Zh), "对");
        assert_eq!(t(QuestionKind::Judge, "F", Lang::En), "False");
        assert_eq!(t(QuestionKind::Blank, "实事求是", Lang::Zh), "实事求是");
        assert_eq!(t(QuestionKind::Single, "", Lang::Zh), "未作答");
    }

    use super::*;

    #[test]
    fn the_cap_cuts_the_award() {
        assert_eq!(award(1, 5, 0), 1);
        assert_eq!(award(1, 5, 4), 1);
        assert_eq!(award(1, 5, 5), 0);
        assert_eq!(award(2, 5, 4), 1, "partly");
        assert_eq!(award(2, 5, 9), 0, "never negative");
    }

    #[test]
    fn rules_need_points_and_a_cap_at_least_as_big() {
        let r = PointsRule {
            activity: Activity::DailyQuiz,
            points: 1,
            daily_cap: 5,
            active: true,
        };
        assert_eq!(check_points_rule(&r), Ok(()));
        let field = |r: PointsRule| match check_points_rule(&r) {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(PointsRule { points: 0, ..r }), "points");
        assert_eq!(field(PointsRule { points: 101, ..r }), "points");
        assert_eq!(field(PointsRule { daily_cap: 0, ..r }), "daily_cap");
        assert_eq!(
            field(PointsRule {
                points: 6,
                daily_cap: 5,
                ..r
            }),
            "daily_cap"
        );
    }

    #[test]
    fn streaks_count_back_from_today_or_yesterday() {
        assert_eq!(streak(&[], 100), 0);
        assert_eq!(streak(&[100, 99, 98, 96], 100), 3);
        assert_eq!(streak(&[99, 98, 98], 100), 2, "today not yet");
        assert_eq!(streak(&[98], 100), 0, "broken");
        // 2026-11-29 00:30 in Luohe is still 11-28 in UTC, but a new day here.
        let p = crate::domain::shift::parse_local;
        let (a, b) = (p("2026-11-29", "00:30"), p("2026-11-28", "23:59"));
        assert_eq!(day_number(a.unwrap()), day_number(b.unwrap()) + 1);
    }

    #[test]
    fn equal_points_share_a_rank() {
        assert_eq!(
            ranks(&[(1, 30), (2, 20), (3, 20), (4, 5)]),
            vec![1, 2, 2, 4]
        );
        assert!(ranks(&[]).is_empty());
    }

    #[test]
    fn answers_are_checked_in_the_banks_form() {
        use QuestionKind::*;
        assert!(is_right(Single, "B", " b "));
        assert!(!is_right(Single, "B", "C"));
        assert!(is_right(Multiple, "AC", "C,A"));
        assert!(!is_right(Multiple, "AC", "A"));
        assert!(is_right(Judge, "T", "对"));
        assert!(is_right(Judge, "F", "×"));
        assert!(!is_right(Judge, "T", "maybe"));
        assert!(is_right(Blank, "三会一课", " 三会 一课　"));
        assert!(!is_right(Blank, "", ""), "an empty answer is never right");
    }

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn question_rows_are_checked_and_every_problem_named() {
        let at = map_question_header(&cells(&[
            "题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析",
        ]))
        .unwrap();
        let q = check_question_row(
            2,
            &cells(&[
                "多选题",
                "三会包括？",
                "支部党员大会",
                "支委会",
                "党小组会",
                "",
                "c a",
                "x",
            ]),
            &at,
        )
        .unwrap();
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.options.len(), 3);
        assert_eq!(q.answer, "AC");
        let q = check_question_row(3, &cells(&["判断", "对吗", "", "", "", "", "对", ""]), &at)
            .unwrap();
        assert_eq!((q.answer.as_str(), q.options.len()), ("T", 0));
        let columns = |r: &[&str]| -> Vec<String> {
            check_question_row(4, &cells(r), &at)
                .unwrap_err()
                .into_iter()
                .map(|e| e.column)
                .collect()
        };
        assert_eq!(columns(&["问答", "x", "", "", "", "", "A", ""]), ["题型"]);
        assert_eq!(columns(&["单选", "", "a", "b", "", "", "A", ""]), ["题干"]);
        assert_eq!(columns(&["单选", "x", "a", "b", "", "", "C", ""]), ["答案"]);
        assert_eq!(columns(&["单选", "x", "a", "", "", "", "A", ""]), ["选项A"]);
        assert_eq!(columns(&["多选", "x", "a", "b", "", "", "A", ""]), ["答案"]);
        assert_eq!(
            columns(&["判断", "x", "", "", "", "", "也许", ""]),
            ["答案"]
        );
        assert_eq!(
            columns(&["填空", "", "", "", "", "", "", ""]),
            ["题干", "答案"]
        );
        let missing = map_question_header(&cells(&["题型", "题干"])).unwrap_err();
        assert_eq!((missing.row, missing.column.as_str()), (1, "答案"));
    }

    #[test]
    fn a_question_written_in_the_browser_follows_the_import_rules() {
        let q = |kind, options: &[&str], answer: &str| QuestionInput {
            id: None,
            kind,
            stem: "“三会一课”中的“一课”是指什么？".into(),
            options: options.iter().map(|o| (*o).to_owned()).collect(),
            answer: answer.into(),
            explanation: String::new(),
        };
        let ok = check_question(&q(QuestionKind::Single, &["党课", "", "网课"], "b")).unwrap();
        assert_eq!((ok.options.len(), ok.answer.as_str()), (2, "B"));
        assert_eq!(
            check_question(&q(QuestionKind::Judge, &["x"], "对"))
                .unwrap()
                .answer,
            "T"
        );
        let field = |r: Result<NewQuestion, AppError>| match r {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            field(check_question(&q(QuestionKind::Single, &["党课"], "A"))),
            "options"
        );
        assert_eq!(
            field(check_question(&q(
                QuestionKind::Single,
                &["党课", "网课"],
                "C"
            ))),
            "answer"
        );
        assert_eq!(
            field(check_question(&q(
                QuestionKind::Multiple,
                &["a", "b", "c", "d", "e", "f", "g"],
                "AB"
            ))),
            "options"
        );
        let mut blank = q(QuestionKind::Blank, &[], "党课");
        blank.stem = " ".into();
        assert_eq!(field(check_question(&blank)), "stem");
        blank.stem = "填空".into();
        blank.explanation = "解".repeat(EXPLANATION_MAX + 1);
        assert_eq!(field(check_question(&blank)), "explanation");
    }
}
