//! Party study: the member's page (points today against each cap, totals, streak,
//! ranks), the daily sign-in, the daily quiz (drawn and checked on the server only),
//! street rankings, and the points rules admins edit.
use super::resident::read_table;
use super::{internal, signed_in};
use crate::db::study::{Award, QuizRefusal};
use crate::db::{Db, now_ms};
use app::api::ports::StudyPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::council::mask_name;
use app::domain::resident::ImportOutcome;
use app::domain::shift::{month_of, parse_local};
use app::domain::study::{
    ANSWER_MAX, Activity, BankQuestion, DAILY_QUESTIONS, PointsRule, Quiz, QuizResult, RankLine,
    Rankings, StudyHome, TodayLine, WrongAnswer, check_points_rule, check_question_row, day_number,
    map_question_header, ranks, streak,
};
use app::domain::user::{Actor, UserId};
use app::i18n::Msg;

/// Rows one question-bank file takes at most.
const QUESTIONS_MAX: usize = 50_000;
/// Problems one report lists at most.
const ERRORS_SHOWN: usize = 500;

pub struct StudyService {
    pub db: Db,
}

/// Rankings show this many members.
const RANKED: i64 = 20;

/// The first moment of this month (China time).
pub(crate) fn month_start(now: i64) -> i64 {
    parse_local(&format!("{}-01", month_of(now)), "00:00").unwrap_or(0)
}

impl StudyService {
    /// A ranking since `from`, with the viewer's own name shown.
    async fn ranking(&self, me: UserId, from: i64) -> Result<Vec<RankLine>, AppError> {
        let top = self.db.top_members(from, RANKED).await.map_err(internal)?;
        let points: Vec<(i64, u32)> = top.iter().map(|(u, _, p)| (*u, *p)).collect();
        Ok(top
            .into_iter()
            .zip(ranks(&points))
            .map(|((user, name, points), rank)| RankLine {
                rank,
                name: if user == me.0 { name } else { mask_name(&name) },
                points,
                me: user == me.0,
            })
            .collect())
    }

    /// One's rank since `from`, if one has points.
    async fn rank(&self, points: u32, from: i64) -> Result<Option<u32>, AppError> {
        if points == 0 {
            return Ok(None);
        }
        Ok(Some(
            self.db
                .members_above(points, from)
                .await
                .map_err(internal)?
                + 1,
        ))
    }
}

#[async_trait::async_trait]
impl StudyPort for StudyService {
    async fn home(&self, actor: &Actor) -> Result<StudyHome, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let now = now_ms();
        let today = day_number(now);
        let rules = self.db.points_rules().await.map_err(internal)?;
        let earned = self.db.points_on(user, today).await.map_err(internal)?;
        let today_lines = rules
            .iter()
            .filter(|r| r.active)
            .map(|r| TodayLine {
                activity: r.activity,
                points: earned
                    .iter()
                    .find(|(a, _)| *a == r.activity)
                    .map_or(0, |(_, p)| *p),
                cap: r.daily_cap,
            })
            .collect();
        let total = self.db.points_since(user, 0).await.map_err(internal)?;
        let from = month_start(now);
        let month = self.db.points_since(user, from).await.map_err(internal)?;
        let days = self.db.points_days(user, today).await.map_err(internal)?;
        Ok(StudyHome {
            total,
            month,
            streak: streak(&days, today),
            signed_in_today: self
                .db
                .points_paid(user, Activity::SignIn, &format!("day:{today}"))
                .await
                .map_err(internal)?,
            today: today_lines,
            ledger: self.db.ledger(user, 20).await.map_err(internal)?,
            rank_month: self.rank(month, from).await?,
            rank_total: self.rank(total, 0).await?,
            quiz_left: self.db.quiz_left(user, today).await.map_err(internal)?,
            wrong: self.db.wrong_count(user).await.map_err(internal)?,
        })
    }

    async fn sign_in(&self, actor: &Actor) -> Result<u32, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let rule = self
            .db
            .points_rule(Activity::SignIn)
            .await
            .map_err(internal)?
            .filter(|r| r.active)
            .ok_or(AppError::Conflict(Msg::ErrStudyRuleOff))?;
        let now = now_ms();
        let today = day_number(now);
        let given = self
            .db
            .award_points(&Award {
                user,
                activity: Activity::SignIn,
                points: rule.points,
                cap: rule.daily_cap,
                reason: "每日签到",
                reference: &format!("day:{today}"),
                day: today,
                at: now,
            })
            .await
            .map_err(internal)?;
        if given == 0 {
            return Err(AppError::Conflict(Msg::ErrStudySignedIn));
        }
        Ok(given)
    }

    async fn start_quiz(&self, actor: &Actor, review: bool) -> Result<Quiz, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let now = now_ms();
        self.db
            .start_quiz(user, day_number(now), now, DAILY_QUESTIONS, review)
            .await
            .map_err(internal)?
            .ok_or(AppError::Conflict(if review {
                Msg::ErrStudyNoWrong
            } else {
                Msg::ErrStudyNoQuestions
            }))
    }

    async fn wrong_answers(&self, actor: &Actor) -> Result<Vec<WrongAnswer>, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        self.db.wrong_answers(user).await.map_err(internal)
    }

    async fn submit_quiz(
        &self,
        actor: &Actor,
        attempt: i64,
        answers: Vec<(i64, String)>,
    ) -> Result<QuizResult, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        if answers.len() > 4 * DAILY_QUESTIONS
            || answers.iter().any(|(_, a)| a.chars().count() > ANSWER_MAX)
        {
            return Err(AppError::invalid("answers", Msg::ErrStudyAnswer));
        }
        let rule = self
            .db
            .points_rule(Activity::DailyQuiz)
            .await
            .map_err(internal)?;
        let now = now_ms();
        self.db
            .submit_quiz(attempt, user, &answers, rule, day_number(now), now)
            .await
            .map_err(internal)?
            .map_err(|r| match r {
                QuizRefusal::NotFound => AppError::NotFound,
                QuizRefusal::AlreadySubmitted => AppError::Conflict(Msg::ErrStudySubmitted),
            })
    }

    async fn rankings(&self, actor: &Actor) -> Result<Rankings, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        Ok(Rankings {
            month: self.ranking(user, month_start(now_ms())).await?,
            total: self.ranking(user, 0).await?,
        })
    }

    async fn rules(&self, actor: &Actor) -> Result<Vec<PointsRule>, AppError> {
        require(actor, Action::Study)?;
        self.db.points_rules().await.map_err(internal)
    }

    async fn save_rule(&self, actor: &Actor, rule: PointsRule) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        check_points_rule(&rule)?;
        self.db.save_points_rule(&rule).await.map_err(internal)?;
        self.db
            .audit(
                Some(user),
                "points.rule",
                &format!(
                    "{} {} per time, {} a day, active {}",
                    rule.activity.as_str(),
                    rule.points,
                    rule.daily_cap,
                    rule.active
                ),
            )
            .await
            .map_err(internal)
    }

    async fn questions(&self, actor: &Actor) -> Result<Vec<BankQuestion>, AppError> {
        require(actor, Action::ManageStudy)?;
        self.db.question_bank().await.map_err(internal)
    }

    async fn save_question(
        &self,
        actor: &Actor,
        q: app::domain::study::QuestionInput,
    ) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let checked = app::domain::study::check_question(&q)?;
        if self
            .db
            .stem_taken(&checked.stem, q.id)
            .await
            .map_err(internal)?
        {
            return Err(AppError::Conflict(Msg::ErrQuestionDuplicate));
        }
        let id = self
            .db
            .save_question(q.id, &checked, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.db
            .audit(Some(user), "question.save", &format!("question {id}"))
            .await
            .map_err(internal)?;
        Ok(id)
    }

    async fn set_question_active(&self, actor: &Actor, id: i64, on: bool) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        if self
            .db
            .set_question_active(id, on)
            .await
            .map_err(internal)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn import_questions(
        &self,
        actor: &Actor,
        bytes: Vec<u8>,
    ) -> Result<ImportOutcome, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let table = read_table(&bytes, QUESTIONS_MAX + 1)?;
        let Some((header, body)) = table.split_first() else {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        };
        let at = match map_question_header(header) {
            Ok(at) => at,
            Err(e) => {
                return Ok(ImportOutcome {
                    errors: vec![e],
                    ..ImportOutcome::default()
                });
            }
        };
        let mut good = Vec::new();
        let mut errors = Vec::new();
        for (i, cells) in body.iter().enumerate() {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            // The spreadsheet numbers the heading 1.
            match check_question_row(i + 2, cells, &at) {
                Ok(q) => good.push(q),
                Err(e) => errors.extend(e),
            }
        }
        if !errors.is_empty() {
            errors.truncate(ERRORS_SHOWN);
            return Ok(ImportOutcome {
                errors,
                ..ImportOutcome::default()
            });
        }
        if good.is_empty() {
            return Err(AppError::invalid("file", Msg::ErrEmptyFile));
        }
        // The same stem twice in one file: the later row wins.
        let mut seen = std::collections::HashSet::new();
        good.reverse();
        good.retain(|q| seen.insert(q.stem.clone()));
        good.reverse();
        let (created, updated) = self
            .db
            .import_questions(&good, now_ms())
            .await
            .map_err(internal)?;
        self.db
            .audit(
                Some(user),
                "question.import",
                &format!("{created} new, {updated} updated"),
            )
            .await
            .map_err(internal)?;
        Ok(ImportOutcome {
            created,
            updated,
            errors: vec![],
        })
    }
}
