//! Party study: points rules, the ledger and its daily caps, the question bank and
//! daily quizzes.
//!
//! An award starts by writing its `(user, day, activity)` row in `points_days`: on
//! PostgreSQL the row lock queues other awards for the same member and activity, on
//! SQLite the first write takes the database's write lock. The cap is then applied to
//! a total nobody else can change until commit.
use super::{Db, u32_col};
use app::domain::study::{
    Activity, BankQuestion, ItemResult, LedgerLine, NewQuestion, PointsRule, QuestionKind, Quiz,
    QuizQuestion, QuizResult, REVIEW_RIGHT_TIMES, WrongAnswer, award, is_right, normalize,
};
use app::domain::user::UserId;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Why a quiz submission was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizRefusal {
    NotFound,
    AlreadySubmitted,
}

pub(crate) fn kind(r: &AnyRow) -> Result<QuestionKind, sqlx::Error> {
    Ok(QuestionKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(QuestionKind::Single))
}

pub(crate) fn options(r: &AnyRow) -> Result<Vec<String>, sqlx::Error> {
    Ok(r.try_get::<String, _>("options")?
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

fn rule(r: &AnyRow) -> Result<Option<PointsRule>, sqlx::Error> {
    Ok(
        Activity::parse(&r.try_get::<String, _>("activity")?).map(|activity| PointsRule {
            activity,
            points: u32_col(r, "points").unwrap_or(0),
            daily_cap: u32_col(r, "daily_cap").unwrap_or(0),
            active: r.try_get::<i64, _>("active").unwrap_or(0) != 0,
        }),
    )
}

/// A new ledger entry.
pub struct Award<'a> {
    pub user: UserId,
    pub activity: Activity,
    /// Points before the cap.
    pub points: u32,
    pub cap: u32,
    pub reason: &'a str,
    /// What it is for: the same `ref` never earns twice.
    pub reference: &'a str,
    pub day: i64,
    pub at: i64,
}

/// Gives points under the day's cap inside `tx`; answers the points given (0 when the
/// cap is reached or the same `reference` was already paid).
pub(crate) async fn award_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    a: &Award<'_>,
) -> Result<u32, sqlx::Error> {
    sqlx::query(
        "INSERT INTO points_days (user_id, day, activity, points) VALUES ($1, $2, $3, 0)
         ON CONFLICT (user_id, day, activity) DO NOTHING",
    )
    .bind(a.user.0)
    .bind(a.day)
    .bind(a.activity.as_str())
    .execute(&mut **tx)
    .await?;
    // The lock: every award for this member, day and activity waits here.
    let so_far: i64 = sqlx::query_scalar(
        "UPDATE points_days SET points = points
         WHERE user_id = $1 AND day = $2 AND activity = $3 RETURNING points",
    )
    .bind(a.user.0)
    .bind(a.day)
    .bind(a.activity.as_str())
    .fetch_one(&mut **tx)
    .await?;
    let given = award(a.points, a.cap, u32::try_from(so_far).unwrap_or(u32::MAX));
    if given == 0 {
        return Ok(0);
    }
    let inserted = sqlx::query(
        "INSERT INTO points_ledger (user_id, activity, points, reason, day, at, ref)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (user_id, activity, ref) DO NOTHING",
    )
    .bind(a.user.0)
    .bind(a.activity.as_str())
    .bind(i64::from(given))
    .bind(a.reason)
    .bind(a.day)
    .bind(a.at)
    .bind(a.reference)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(0);
    }
    sqlx::query(
        "UPDATE points_days SET points = points + $4
         WHERE user_id = $1 AND day = $2 AND activity = $3",
    )
    .bind(a.user.0)
    .bind(a.day)
    .bind(a.activity.as_str())
    .bind(i64::from(given))
    .execute(&mut **tx)
    .await?;
    Ok(given)
}

/// Checks `answers` against the drawn questions (`rows`: id, kind, stem, options,
/// answer, explanation, in order); a question without an answer is wrong.
pub(crate) fn mark_items(
    rows: &[AnyRow],
    answers: &[(i64, String)],
) -> Result<Vec<ItemResult>, sqlx::Error> {
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            let kind = QuestionKind::parse(&r.try_get::<String, _>("kind")?)
                .unwrap_or(QuestionKind::Single);
            let answer: String = r.try_get("answer")?;
            let given = answers
                .iter()
                .find(|(q, _)| *q == id)
                .map(|(_, g)| normalize(kind, g))
                .unwrap_or_default();
            Ok(ItemResult {
                question: id,
                kind,
                stem: r.try_get("stem")?,
                options: options(r)?,
                right: is_right(kind, &answer, &given),
                given,
                answer: normalize(kind, &answer),
                explanation: r.try_get("explanation")?,
            })
        })
        .collect()
}

/// Right answers and questions.
pub(crate) fn score(items: &[ItemResult]) -> (u32, u32) {
    (
        u32::try_from(items.iter().filter(|i| i.right).count()).unwrap_or(0),
        u32::try_from(items.len()).unwrap_or(0),
    )
}

/// Every marked answer into the 错题本, in question order so two submissions lock
/// the rows alike.
pub(crate) async fn note_all_in_book(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: UserId,
    items: &[ItemResult],
    now: i64,
) -> Result<(), sqlx::Error> {
    let mut by_id: Vec<(i64, bool)> = items.iter().map(|i| (i.question, i.right)).collect();
    by_id.sort_unstable();
    for (question, right) in by_id {
        note_in_book(tx, user, question, right, now).await?;
    }
    Ok(())
}

/// Adds one checked question; answers its id.
async fn insert_question_in<'e, E>(exec: E, q: &NewQuestion, now: i64) -> Result<i64, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_scalar(
        "INSERT INTO questions (kind, stem, options, answer, explanation, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(q.kind.as_str())
    .bind(q.stem.as_str())
    .bind(q.options.join("\n"))
    .bind(q.answer.as_str())
    .bind(q.explanation.as_str())
    .bind(now)
    .fetch_one(exec)
    .await
}

/// Keeps the 错题本: a wrong answer puts the question in (or back to no right answers
/// since); a right one counts toward taking it out, which happens at
/// [`REVIEW_RIGHT_TIMES`].
async fn note_in_book(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: UserId,
    question: i64,
    right: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    if !right {
        sqlx::query(
            "INSERT INTO wrong_answers (user_id, question_id, right_times, updated_at)
             VALUES ($1, $2, 0, $3)
             ON CONFLICT (user_id, question_id) DO UPDATE SET right_times = 0,
                updated_at = excluded.updated_at",
        )
        .bind(user.0)
        .bind(question)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    sqlx::query(
        "UPDATE wrong_answers SET right_times = right_times + 1, updated_at = $3
         WHERE user_id = $1 AND question_id = $2",
    )
    .bind(user.0)
    .bind(question)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM wrong_answers WHERE user_id = $1 AND question_id = $2 AND right_times >= $3",
    )
    .bind(user.0)
    .bind(question)
    .bind(i64::from(REVIEW_RIGHT_TIMES))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Db {
    /// Every activity's rule (activities without a stored rule are left out).
    pub async fn points_rules(&self) -> Result<Vec<PointsRule>, sqlx::Error> {
        let rows = sqlx::query("SELECT activity, points, daily_cap, active FROM points_rules")
            .fetch_all(&self.pool)
            .await?;
        let mut out: Vec<PointsRule> = rows
            .iter()
            .map(rule)
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        out.sort_by_key(|r| Activity::ALL.iter().position(|a| *a == r.activity));
        Ok(out)
    }

    pub async fn points_rule(&self, a: Activity) -> Result<Option<PointsRule>, sqlx::Error> {
        let row = sqlx::query(
            "SELECT activity, points, daily_cap, active FROM points_rules WHERE activity = $1",
        )
        .bind(a.as_str())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(rule).transpose()?.flatten())
    }

    pub async fn save_points_rule(&self, r: &PointsRule) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO points_rules (activity, points, daily_cap, active) VALUES ($1, $2, $3, $4)
             ON CONFLICT (activity) DO UPDATE SET points = excluded.points,
                daily_cap = excluded.daily_cap, active = excluded.active",
        )
        .bind(r.activity.as_str())
        .bind(i64::from(r.points))
        .bind(i64::from(r.daily_cap))
        .bind(i64::from(r.active))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One award in its own transaction.
    pub async fn award_points(&self, a: &Award<'_>) -> Result<u32, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let given = award_in(&mut tx, a).await?;
        tx.commit().await?;
        Ok(given)
    }

    /// Whether the ledger has an entry for this reference.
    pub async fn points_paid(
        &self,
        user: UserId,
        activity: Activity,
        reference: &str,
    ) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM points_ledger WHERE user_id = $1 AND activity = $2 AND ref = $3",
        )
        .bind(user.0)
        .bind(activity.as_str())
        .bind(reference)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Points per activity on one day.
    pub async fn points_on(
        &self,
        user: UserId,
        day: i64,
    ) -> Result<Vec<(Activity, u32)>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT activity, points FROM points_days WHERE user_id = $1 AND day = $2")
                .bind(user.0)
                .bind(day)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(a) = Activity::parse(&r.try_get::<String, _>("activity")?) {
                out.push((a, u32_col(r, "points")?));
            }
        }
        Ok(out)
    }

    /// A member's points since `from` (ms).
    pub async fn points_since(&self, user: UserId, from: i64) -> Result<u32, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) FROM points_ledger
             WHERE user_id = $1 AND at >= $2",
        )
        .bind(user.0)
        .bind(from)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// How many members earned more than `points` since `from`: one's rank less one.
    pub async fn members_above(&self, points: u32, from: i64) -> Result<u32, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT user_id, SUM(points) AS p FROM points_ledger
               WHERE at >= $1 GROUP BY user_id) t WHERE t.p > $2",
        )
        .bind(from)
        .bind(i64::from(points))
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// The days (China time) a member earned points on, the last 400 days.
    pub async fn points_days(&self, user: UserId, today: i64) -> Result<Vec<i64>, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT DISTINCT day FROM points_days WHERE user_id = $1 AND day > $2 AND points > 0",
        )
        .bind(user.0)
        .bind(today - 400)
        .fetch_all(&self.pool)
        .await
    }

    /// The newest ledger entries of a member.
    pub async fn ledger(&self, user: UserId, limit: i64) -> Result<Vec<LedgerLine>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT at, activity, points, reason FROM points_ledger WHERE user_id = $1
             ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(activity) = Activity::parse(&r.try_get::<String, _>("activity")?) {
                out.push(LedgerLine {
                    at: r.try_get("at")?,
                    activity,
                    points: u32_col(r, "points")?,
                    reason: r.try_get("reason")?,
                });
            }
        }
        Ok(out)
    }

    /// The top members since `from`: `(user, name, points)`, most points first.
    pub async fn top_members(
        &self,
        from: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT l.user_id, u.name, CAST(SUM(l.points) AS BIGINT) AS p
             FROM points_ledger l JOIN users u ON u.id = l.user_id
             WHERE l.at >= $1 GROUP BY l.user_id, u.name ORDER BY p DESC, l.user_id LIMIT $2",
        )
        .bind(from)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("user_id")?, r.try_get("name")?, u32_col(r, "p")?)))
            .collect()
    }

    /// Active questions a member has not drawn on `day`.
    pub async fn quiz_left(&self, user: UserId, day: i64) -> Result<u32, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM questions q WHERE q.active = 1 AND NOT EXISTS
               (SELECT 1 FROM quiz_items i WHERE i.user_id = $1 AND i.day = $2
                  AND i.question_id = q.id)",
        )
        .bind(user.0)
        .bind(day)
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// Draws up to `n` questions: for a daily quiz at random among those the member
    /// has not had on `day`, for a review the 错题本's longest waiting. `None` when
    /// none are left.
    pub async fn start_quiz(
        &self,
        user: UserId,
        day: i64,
        now: i64,
        n: usize,
        review: bool,
    ) -> Result<Option<Quiz>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let attempt: i64 = sqlx::query_scalar(
            "INSERT INTO quiz_attempts (user_id, kind, day, started_at) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(user.0)
        .bind(if review { "review" } else { "daily" })
        .bind(day)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let limit = i64::try_from(n).unwrap_or(5);
        let rows = if review {
            sqlx::query(
                "SELECT q.id, q.kind, q.stem, q.options FROM wrong_answers w
                   JOIN questions q ON q.id = w.question_id
                 WHERE w.user_id = $1 ORDER BY w.updated_at, q.id LIMIT $2",
            )
            .bind(user.0)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "SELECT q.id, q.kind, q.stem, q.options FROM questions q WHERE q.active = 1
                   AND NOT EXISTS (SELECT 1 FROM quiz_items i WHERE i.user_id = $1 AND i.day = $2
                                     AND i.question_id = q.id)
                 ORDER BY RANDOM() LIMIT $3",
            )
            .bind(user.0)
            .bind(day)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?
        };
        let mut questions = Vec::with_capacity(rows.len());
        for (pos, r) in rows.iter().enumerate() {
            let id: i64 = r.try_get("id")?;
            // Two quizzes started at once may draw the same question: the second
            // simply goes without it.
            let added = sqlx::query(
                "INSERT INTO quiz_items (attempt_id, question_id, user_id, day, position)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(attempt)
            .bind(id)
            .bind(user.0)
            .bind((!review).then_some(day))
            .bind(i64::try_from(pos).unwrap_or(0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added == 0 {
                continue;
            }
            questions.push(QuizQuestion {
                id,
                kind: kind(r)?,
                stem: r.try_get("stem")?,
                options: options(r)?,
            });
        }
        if questions.is_empty() {
            tx.rollback().await?;
            return Ok(None);
        }
        tx.commit().await?;
        Ok(Some(Quiz {
            attempt,
            review,
            questions,
        }))
    }

    /// Checks a quiz's answers and pays its points, once: the first submission wins.
    /// `rule` is the daily quiz's rule (`None` or inactive: no points).
    pub async fn submit_quiz(
        &self,
        attempt: i64,
        user: UserId,
        answers: &[(i64, String)],
        rule: Option<PointsRule>,
        day: i64,
        now: i64,
    ) -> Result<Result<QuizResult, QuizRefusal>, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let claimed: Option<String> = sqlx::query_scalar(
            "UPDATE quiz_attempts SET submitted_at = $3
             WHERE id = $1 AND user_id = $2 AND submitted_at IS NULL RETURNING kind",
        )
        .bind(attempt)
        .bind(user.0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(attempt_kind) = claimed else {
            let exists: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM quiz_attempts WHERE id = $1 AND user_id = $2",
            )
            .bind(attempt)
            .bind(user.0)
            .fetch_one(&mut *tx)
            .await?;
            tx.rollback().await?;
            return Ok(Err(if exists > 0 {
                QuizRefusal::AlreadySubmitted
            } else {
                QuizRefusal::NotFound
            }));
        };
        let review = attempt_kind == "review";
        let rows = sqlx::query(
            "SELECT q.id, q.kind, q.stem, q.options, q.answer, q.explanation
             FROM quiz_items i JOIN questions q ON q.id = i.question_id
             WHERE i.attempt_id = $1 ORDER BY i.position",
        )
        .bind(attempt)
        .fetch_all(&mut *tx)
        .await?;
        let items = mark_items(&rows, answers)?;
        for i in &items {
            sqlx::query(
                "UPDATE quiz_items SET given = $3, is_right = $4
                 WHERE attempt_id = $1 AND question_id = $2",
            )
            .bind(attempt)
            .bind(i.question)
            .bind(i.given.as_str())
            .bind(i64::from(i.right))
            .execute(&mut *tx)
            .await?;
        }
        note_all_in_book(&mut tx, user, &items, now).await?;
        let (correct, total) = score(&items);
        sqlx::query("UPDATE quiz_attempts SET correct = $2, total = $3 WHERE id = $1")
            .bind(attempt)
            .bind(i64::from(correct))
            .bind(i64::from(total))
            .execute(&mut *tx)
            .await?;
        let points = match rule {
            Some(r) if r.active && correct > 0 && !review => {
                let reason = format!("每日答题：答对 {correct}/{total} 题");
                let reference = format!("quiz:{attempt}");
                award_in(
                    &mut tx,
                    &Award {
                        user,
                        activity: Activity::DailyQuiz,
                        points: r.points.saturating_mul(correct),
                        cap: r.daily_cap,
                        reason: &reason,
                        reference: &reference,
                        day,
                        at: now,
                    },
                )
                .await?
            }
            _ => 0,
        };
        tx.commit().await?;
        Ok(Ok(QuizResult {
            correct,
            total,
            points,
            items,
        }))
    }

    /// One's 错题本, longest waiting first.
    pub async fn wrong_answers(&self, user: UserId) -> Result<Vec<WrongAnswer>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT q.id, q.kind, q.stem, q.options, q.answer, q.explanation, w.right_times
             FROM wrong_answers w JOIN questions q ON q.id = w.question_id
             WHERE w.user_id = $1 ORDER BY w.updated_at, q.id LIMIT 200",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let k = kind(r)?;
                Ok(WrongAnswer {
                    question: r.try_get("id")?,
                    kind: k,
                    stem: r.try_get("stem")?,
                    options: options(r)?,
                    answer: normalize(k, &r.try_get::<String, _>("answer")?),
                    explanation: r.try_get("explanation")?,
                    right_times: u32_col(r, "right_times")?,
                })
            })
            .collect()
    }

    pub async fn wrong_count(&self, user: UserId) -> Result<u32, sqlx::Error> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wrong_answers WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(n).unwrap_or(0))
    }

    /// The whole bank, newest first.
    pub async fn question_bank(&self) -> Result<Vec<BankQuestion>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, kind, stem, options, answer, explanation, active FROM questions
             ORDER BY id DESC LIMIT 2000",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let k = kind(r)?;
                Ok(BankQuestion {
                    id: r.try_get("id")?,
                    kind: k,
                    stem: r.try_get("stem")?,
                    options: options(r)?,
                    answer: normalize(k, &r.try_get::<String, _>("answer")?),
                    explanation: r.try_get("explanation")?,
                    active: r.try_get::<i64, _>("active")? != 0,
                })
            })
            .collect()
    }

    /// Whether the question exists (and now is on or off).
    pub async fn set_question_active(&self, id: i64, on: bool) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("UPDATE questions SET active = $2 WHERE id = $1")
                .bind(id)
                .bind(i64::from(on))
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    /// Writes checked questions in one transaction: a stem already in the bank is
    /// updated (and put back in use), others added. Answers (created, updated).
    pub async fn import_questions(
        &self,
        qs: &[NewQuestion],
        now: i64,
    ) -> Result<(usize, usize), sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let (mut created, mut updated) = (0, 0);
        for q in qs {
            let options = q.options.join("\n");
            let n = sqlx::query(
                "UPDATE questions SET kind = $2, options = $3, answer = $4, explanation = $5,
                    active = 1 WHERE stem = $1",
            )
            .bind(q.stem.as_str())
            .bind(q.kind.as_str())
            .bind(options.as_str())
            .bind(q.answer.as_str())
            .bind(q.explanation.as_str())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                updated += 1;
                continue;
            }
            insert_question_in(&mut *tx, q, now).await?;
            created += 1;
        }
        tx.commit().await?;
        Ok((created, updated))
    }

    /// Whether another question (not `except`) has this stem.
    pub async fn stem_taken(&self, stem: &str, except: Option<i64>) -> Result<bool, sqlx::Error> {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM questions WHERE stem = $1 AND id <> $2")
                .bind(stem)
                .bind(except.unwrap_or(0))
                .fetch_one(&self.pool)
                .await?;
        Ok(n > 0)
    }

    /// Writes one question checked in the browser: `id` none adds it; answers its id
    /// (none when `id` names no question).
    pub async fn save_question(
        &self,
        id: Option<i64>,
        q: &NewQuestion,
        now: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let options = q.options.join("\n");
        match id {
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE questions SET kind = $2, stem = $3, options = $4, answer = $5,
                        explanation = $6 WHERE id = $1",
                )
                .bind(id)
                .bind(q.kind.as_str())
                .bind(q.stem.as_str())
                .bind(options.as_str())
                .bind(q.answer.as_str())
                .bind(q.explanation.as_str())
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok((n > 0).then_some(id))
            }
            None => insert_question_in(&self.pool, q, now).await.map(Some),
        }
    }

    /// Adds a question to the bank (the seed).
    pub async fn insert_question(
        &self,
        kind: QuestionKind,
        stem: &str,
        options: &[&str],
        answer: &str,
        explanation: &str,
        now: i64,
    ) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "INSERT INTO questions (kind, stem, options, answer, explanation, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(kind.as_str())
        .bind(stem)
        .bind(options.join("\n"))
        .bind(answer)
        .bind(explanation)
        .bind(now)
        .fetch_one(&self.pool)
        .await
    }
}
