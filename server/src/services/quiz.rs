//! The weekly quiz and special quizzes: each member takes a round once; answers are
//! checked here only, late ones (past the time limit and a short grace) score nothing,
//! the weekly round pays the weekly-quiz rule per right answer under its cap.
use super::{internal, signed_in};
use crate::db::quiz::{Refusal, Started};
use crate::db::study::Award;
use crate::db::{Db, now_ms};
use app::api::ports::QuizPort;
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::quiz::{
    RoundInput, RoundKind, Rounds, Take, WEEKLY_QUESTIONS, check_round, deadline, too_late,
};
use app::domain::shift::{WEEK_MS, week_start};
use app::domain::study::{ANSWER_MAX, Activity, QuizResult, day_number};
use app::domain::time::format_cst;
use app::domain::user::Actor;
use app::i18n::Msg;

pub struct QuizService {
    pub db: Db,
}

/// Taken special quizzes stay on the page this long after they close.
const SHOWN_AFTER_MS: i64 = 30 * 24 * 3_600_000;

#[async_trait::async_trait]
impl QuizPort for QuizService {
    async fn rounds(&self, actor: &Actor) -> Result<Rounds, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let now = now_ms();
        Ok(Rounds {
            weekly: self
                .db
                .weekly_line(user, week_start(now))
                .await
                .map_err(internal)?,
            special: self
                .db
                .special_lines(user, now, now - SHOWN_AFTER_MS)
                .await
                .map_err(internal)?,
        })
    }

    async fn start(&self, actor: &Actor, round: Option<i64>) -> Result<Take, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let now = now_ms();
        let id = match round {
            Some(id) => id,
            None => {
                let week = week_start(now);
                let title = format!(
                    "每周答题（{}起）",
                    format_cst(week).get(..10).unwrap_or_default()
                );
                self.db
                    .weekly_round(week, week + WEEK_MS, &title, WEEKLY_QUESTIONS, now)
                    .await
                    .map_err(internal)?
            }
        };
        let r = self
            .db
            .round(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        if now < r.opens_at || now >= r.closes_at {
            return Err(AppError::Conflict(Msg::ErrRoundClosed));
        }
        match self
            .db
            .start_take(
                id,
                user,
                r.questions,
                deadline(r.minutes, now, r.closes_at),
                now,
            )
            .await
            .map_err(internal)?
        {
            Started::Open {
                take,
                deadline,
                questions,
            } => Ok(Take {
                take,
                title: r.title,
                deadline,
                server_now: now_ms(),
                questions,
            }),
            Started::Done => Err(AppError::Conflict(Msg::ErrRoundTaken)),
            Started::Empty => Err(AppError::Conflict(Msg::ErrStudyNoQuestions)),
        }
    }

    async fn submit(
        &self,
        actor: &Actor,
        take: i64,
        answers: Vec<(i64, String)>,
    ) -> Result<QuizResult, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        if answers.len() > 4 * 30 || answers.iter().any(|(_, a)| a.chars().count() > ANSWER_MAX) {
            return Err(AppError::invalid("answers", Msg::ErrStudyAnswer));
        }
        let round = self
            .db
            .take_round(take)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let kind = self
            .db
            .round(round)
            .await
            .map_err(internal)?
            .map(|r| r.kind)
            .ok_or(AppError::NotFound)?;
        let rule = match kind {
            RoundKind::Weekly => self
                .db
                .points_rule(Activity::WeeklyQuiz)
                .await
                .map_err(internal)?
                .filter(|r| r.active),
            RoundKind::Special => None,
        };
        let now = now_ms();
        let reference = format!("round:{take}");
        let award = rule.map(|r| {
            (
                Award {
                    user,
                    activity: Activity::WeeklyQuiz,
                    points: 0,
                    cap: r.daily_cap,
                    reason: "每周答题",
                    reference: &reference,
                    day: day_number(now),
                    at: now,
                },
                r.points,
            )
        });
        match self
            .db
            .submit_take(
                take,
                user,
                &answers,
                award.as_ref().map(|(a, p)| (a, *p)),
                now,
                |d| too_late(d, now),
            )
            .await
            .map_err(internal)?
        {
            Ok((items, points)) => {
                let (correct, total) = crate::db::study::score(&items);
                Ok(QuizResult {
                    correct,
                    total,
                    points,
                    items,
                })
            }
            // Someone else's take is as unknown as a missing one.
            Err(Refusal::NotFound) => Err(AppError::NotFound),
            Err(Refusal::Submitted) => Err(AppError::Conflict(Msg::ErrStudySubmitted)),
            Err(Refusal::TooLate) => Err(AppError::Conflict(Msg::ErrRoundTooLate)),
        }
    }

    async fn create(&self, actor: &Actor, r: RoundInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let window = check_round(&r)?;
        let id = self
            .db
            .insert_round(
                r.title.trim(),
                r.questions,
                r.minutes,
                window,
                user,
                now_ms(),
            )
            .await
            .map_err(internal)?;
        self.db
            .audit(
                Some(user),
                "quiz.round",
                &format!("round {id} {}", r.title.trim()),
            )
            .await
            .map_err(internal)?;
        Ok(id)
    }
}
