//! Quiz rounds: the weekly round (made once per week by the first to start it),
//! special quizzes, and each member's one take of a round.
use super::study::{Award, award_in, kind, mark_items, note_all_in_book, options, score};
use super::{Db, u32_col};
use app::domain::quiz::{RoundKind, RoundLine, TakeState};
use app::domain::study::{ItemResult, QuizQuestion};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A round as the service needs it.
pub struct RoundFacts {
    pub title: String,
    pub kind: RoundKind,
    pub questions: u32,
    pub minutes: u32,
    pub opens_at: i64,
    pub closes_at: i64,
}

/// A take already there when starting.
pub enum Started {
    /// A new take, or mine not yet handed in (same questions, same deadline).
    Open {
        take: i64,
        deadline: Option<i64>,
        questions: Vec<QuizQuestion>,
    },
    Done,
    /// The bank has no active questions.
    Empty,
}

/// Why answers were refused.
pub enum Refusal {
    NotFound,
    Submitted,
    /// Handed in too late: the take is closed with nothing right.
    TooLate,
}

fn line(r: &AnyRow) -> Result<RoundLine, sqlx::Error> {
    let take: Option<i64> = r.try_get("take_id")?;
    let submitted: Option<i64> = r.try_get("submitted_at")?;
    Ok(RoundLine {
        id: r.try_get("id")?,
        kind: RoundKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(RoundKind::Special),
        title: r.try_get("title")?,
        questions: u32_col(r, "questions")?,
        minutes: u32_col(r, "minutes")?,
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        mine: match (take, submitted) {
            (None, _) => None,
            (Some(_), None) => Some(TakeState::Started {
                deadline: r.try_get("deadline")?,
            }),
            (Some(_), Some(_)) => Some(TakeState::Done {
                correct: u32_col(r, "correct")?,
                total: u32_col(r, "total")?,
            }),
        },
    })
}

const LINE: &str = "SELECT r.id, r.kind, r.title, r.questions, r.minutes, r.opens_at, r.closes_at,
        t.id AS take_id, t.deadline, t.submitted_at,
        COALESCE(t.correct, 0) AS correct, COALESCE(t.total, 0) AS total
     FROM quiz_rounds r LEFT JOIN round_takes t ON t.round_id = r.id AND t.user_id = $1";

impl Db {
    /// This week's round, made if missing (two first starters make one).
    pub async fn weekly_round(
        &self,
        week: i64,
        closes_at: i64,
        title: &str,
        questions: u32,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query(
            "INSERT INTO quiz_rounds (kind, title, questions, minutes, opens_at, closes_at, week, created_at)
             VALUES ('weekly', $1, $2, 0, $3, $4, $3, $5) ON CONFLICT (week) DO NOTHING",
        )
        .bind(title)
        .bind(i64::from(questions))
        .bind(week)
        .bind(closes_at)
        .bind(now)
        .execute(&self.pool)
        .await?;
        sqlx::query_scalar("SELECT id FROM quiz_rounds WHERE week = $1")
            .bind(week)
            .fetch_one(&self.pool)
            .await
    }

    pub async fn insert_round(
        &self,
        title: &str,
        questions: u32,
        minutes: u32,
        window: (i64, i64),
        by: UserId,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO quiz_rounds (kind, title, questions, minutes, opens_at, closes_at, created_by, created_at)
             VALUES ('special', $1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(title)
        .bind(i64::from(questions))
        .bind(i64::from(minutes))
        .bind(window.0)
        .bind(window.1)
        .bind(by.0)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }

    pub async fn round(&self, id: i64) -> Result<Option<RoundFacts>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT kind, title, questions, minutes, opens_at, closes_at FROM quiz_rounds WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(RoundFacts {
                kind: RoundKind::parse(&r.try_get::<String, _>("kind")?)
                    .unwrap_or(RoundKind::Special),
                title: r.try_get("title")?,
                questions: u32_col(&r, "questions")?,
                minutes: u32_col(&r, "minutes")?,
                opens_at: r.try_get("opens_at")?,
                closes_at: r.try_get("closes_at")?,
            })
        })
        .transpose()
    }

    /// The week's round with my take, if it was made.
    pub async fn weekly_line(
        &self,
        user: UserId,
        week: i64,
    ) -> Result<Option<RoundLine>, sqlx::Error> {
        let row = sqlx::query(&format!("{LINE} WHERE r.week = $2"))
            .bind(user.0)
            .bind(week)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(line).transpose()
    }

    /// Special quizzes open at `now`, and those I took that closed after `since`.
    pub async fn special_lines(
        &self,
        user: UserId,
        now: i64,
        since: i64,
    ) -> Result<Vec<RoundLine>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "{LINE} WHERE r.kind = 'special'
               AND ((r.opens_at <= $2 AND r.closes_at > $2) OR (t.id IS NOT NULL AND r.closes_at > $3))
             ORDER BY r.closes_at, r.id"
        ))
        .bind(user.0)
        .bind(now)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(line).collect()
    }

    /// Starts my take of a round (once): draws `questions` at random from the bank.
    /// A take not yet handed in comes back as it was.
    pub async fn start_take(
        &self,
        round: i64,
        user: UserId,
        questions: u32,
        deadline: Option<i64>,
        now: i64,
    ) -> Result<Started, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let created: Option<i64> = sqlx::query_scalar(
            "INSERT INTO round_takes (round_id, user_id, started_at, deadline) VALUES ($1, $2, $3, $4)
             ON CONFLICT (round_id, user_id) DO NOTHING RETURNING id",
        )
        .bind(round)
        .bind(user.0)
        .bind(now)
        .bind(deadline)
        .fetch_optional(&mut *tx)
        .await?;
        let take = match created {
            Some(take) => {
                let drawn: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM questions WHERE active = 1 ORDER BY RANDOM() LIMIT $1",
                )
                .bind(i64::from(questions))
                .fetch_all(&mut *tx)
                .await?;
                if drawn.is_empty() {
                    tx.rollback().await?;
                    return Ok(Started::Empty);
                }
                for (pos, q) in drawn.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO round_items (take_id, question_id, position) VALUES ($1, $2, $3)",
                    )
                    .bind(take)
                    .bind(*q)
                    .bind(i64::try_from(pos).unwrap_or(0))
                    .execute(&mut *tx)
                    .await?;
                }
                take
            }
            None => {
                let row = sqlx::query(
                    "SELECT id, submitted_at FROM round_takes WHERE round_id = $1 AND user_id = $2",
                )
                .bind(round)
                .bind(user.0)
                .fetch_one(&mut *tx)
                .await?;
                if row.try_get::<Option<i64>, _>("submitted_at")?.is_some() {
                    tx.rollback().await?;
                    return Ok(Started::Done);
                }
                row.try_get("id")?
            }
        };
        let deadline: Option<i64> =
            sqlx::query_scalar("SELECT deadline FROM round_takes WHERE id = $1")
                .bind(take)
                .fetch_one(&mut *tx)
                .await?;
        let rows = sqlx::query(
            "SELECT q.id, q.kind, q.stem, q.options FROM round_items i
               JOIN questions q ON q.id = i.question_id
             WHERE i.take_id = $1 ORDER BY i.position",
        )
        .bind(take)
        .fetch_all(&mut *tx)
        .await?;
        let questions = rows
            .iter()
            .map(|r| {
                Ok(QuizQuestion {
                    id: r.try_get("id")?,
                    kind: kind(r)?,
                    stem: r.try_get("stem")?,
                    options: options(r)?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        tx.commit().await?;
        Ok(Started::Open {
            take,
            deadline,
            questions,
        })
    }

    /// Hands in my answers, once; marks them, notes the 错题本 and pays `award`'s
    /// activity for the right answers (its points are per right answer). Answers after
    /// `too_late(deadline)` close the take with nothing right.
    pub async fn submit_take(
        &self,
        take: i64,
        user: UserId,
        answers: &[(i64, String)],
        award: Option<(&Award<'_>, u32)>,
        now: i64,
        too_late: impl Fn(Option<i64>) -> bool,
    ) -> Result<Result<(Vec<ItemResult>, u32), Refusal>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE round_takes SET submitted_at = $3
             WHERE id = $1 AND user_id = $2 AND submitted_at IS NULL RETURNING deadline",
        )
        .bind(take)
        .bind(user.0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(claimed) = claimed else {
            let mine: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM round_takes WHERE id = $1 AND user_id = $2",
            )
            .bind(take)
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await?;
            tx.rollback().await?;
            return Ok(Err(if mine > 0 {
                Refusal::Submitted
            } else {
                Refusal::NotFound
            }));
        };
        let late = too_late(claimed.try_get("deadline")?);
        let rows = sqlx::query(
            "SELECT q.id, q.kind, q.stem, q.options, q.answer, q.explanation
             FROM round_items i JOIN questions q ON q.id = i.question_id
             WHERE i.take_id = $1 ORDER BY i.position",
        )
        .bind(take)
        .fetch_all(&mut *tx)
        .await?;
        let items = mark_items(&rows, if late { &[] } else { answers })?;
        for i in &items {
            sqlx::query(
                "UPDATE round_items SET given = $3, is_right = $4 WHERE take_id = $1 AND question_id = $2",
            )
            .bind(take)
            .bind(i.question)
            .bind(i.given.as_str())
            .bind(i64::from(i.right))
            .execute(&mut *tx)
            .await?;
        }
        let (correct, total) = score(&items);
        sqlx::query("UPDATE round_takes SET correct = $2, total = $3 WHERE id = $1")
            .bind(take)
            .bind(i64::from(correct))
            .bind(i64::from(total))
            .execute(&mut *tx)
            .await?;
        if late {
            tx.commit().await?;
            return Ok(Err(Refusal::TooLate));
        }
        note_all_in_book(&mut tx, user, &items, now).await?;
        let points = match award {
            Some((a, per_right)) if correct > 0 => {
                let a = Award {
                    points: per_right.saturating_mul(correct),
                    ..*a
                };
                award_in(&mut tx, &a).await?
            }
            _ => 0,
        };
        tx.commit().await?;
        Ok(Ok((items, points)))
    }

    /// Which round a take belongs to (for its kind and rule).
    pub async fn take_round(&self, take: i64) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT round_id FROM round_takes WHERE id = $1")
            .bind(take)
            .fetch_optional(&self.pool)
            .await
    }
}
