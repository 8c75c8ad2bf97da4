//! The party organisation tree, its members, and the points per branch.
//! Meetings (三会一课): the list written when a meeting is called, check-ins,
//! minutes, attendance per organisation and member.
use super::{Db, u32_col};
use crate::db::study::{Award, award_in};
use app::domain::party::{Attendee, MeetingKind, MeetingLine, Org, OrgInput, OrgKind, OrgMember};
use sqlx::Row;

/// What the service needs to know of a meeting.
pub struct MeetingFacts {
    pub org: i64,
    pub starts_at: i64,
    pub token: String,
    pub minutes: String,
}

/// A new meeting and who is expected.
pub struct NewMeeting<'a> {
    pub org: i64,
    pub kind: MeetingKind,
    pub title: &'a str,
    pub starts_at: i64,
    pub place: &'a str,
    pub token: &'a str,
    pub by: i64,
    pub at: i64,
}

impl Db {
    /// Every organisation, parents before children.
    pub async fn orgs(&self) -> Result<Vec<Org>, sqlx::Error> {
        let rows =
            sqlx::query("SELECT id, parent_id, kind, name, grid_id FROM party_orgs ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let Some(kind) = OrgKind::parse(&r.try_get::<String, _>("kind")?) else {
                continue;
            };
            out.push(Org {
                id: r.try_get("id")?,
                parent: r.try_get("parent_id")?,
                kind,
                name: r.try_get("name")?,
                grid: r.try_get("grid_id")?,
            });
        }
        Ok(out)
    }

    /// Writes an organisation; `None` when `input.id` names none.
    pub async fn save_org(&self, o: &OrgInput, at: i64) -> Result<Option<i64>, sqlx::Error> {
        match o.id {
            Some(id) => {
                let n = sqlx::query(
                    "UPDATE party_orgs SET parent_id = $2, kind = $3, name = $4, grid_id = $5
                     WHERE id = $1",
                )
                .bind(id)
                .bind(o.parent)
                .bind(o.kind.as_str())
                .bind(o.name.trim())
                .bind(o.grid)
                .execute(&self.pool)
                .await?
                .rows_affected();
                Ok((n > 0).then_some(id))
            }
            None => sqlx::query_scalar(
                "INSERT INTO party_orgs (parent_id, kind, name, grid_id, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(o.parent)
            .bind(o.kind.as_str())
            .bind(o.name.trim())
            .bind(o.grid)
            .bind(at)
            .fetch_one(&self.pool)
            .await
            .map(Some),
        }
    }

    /// Every member of every branch and group, by organisation then name.
    pub async fn org_members(&self) -> Result<Vec<OrgMember>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.user_id, u.name, m.org_id, m.central FROM party_members m
             JOIN users u ON u.id = m.user_id ORDER BY m.org_id, u.name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrgMember {
                    user: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    org: r.try_get("org_id")?,
                    central: r.try_get::<i64, _>("central")? != 0,
                })
            })
            .collect()
    }

    /// Puts a member in a branch or group (moving them from another), 中心户 or not.
    pub async fn set_org_member(
        &self,
        user: i64,
        org: i64,
        central: bool,
        at: i64,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO party_members (user_id, org_id, central, since) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id) DO UPDATE SET org_id = excluded.org_id, central = excluded.central",
        )
        .bind(user)
        .bind(org)
        .bind(i64::from(central))
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn remove_org_member(&self, user: i64) -> Result<bool, sqlx::Error> {
        Ok(sqlx::query("DELETE FROM party_members WHERE user_id = $1")
            .bind(user)
            .execute(&self.pool)
            .await?
            .rows_affected()
            > 0)
    }

    /// Points since `from` per organisation its members sit in: `(org, members, points)`.
    /// Groups are folded into their branch by the caller (`branch_of`).
    pub async fn points_per_org(&self, from: i64) -> Result<Vec<(i64, u32, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.org_id, CAST(COUNT(DISTINCT m.user_id) AS BIGINT) AS members,
                    CAST(COALESCE(SUM(l.points), 0) AS BIGINT) AS points
             FROM party_members m
             LEFT JOIN points_ledger l ON l.user_id = m.user_id AND l.at >= $1
             GROUP BY m.org_id",
        )
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("org_id")?,
                    u32_col(r, "members")?,
                    u32_col(r, "points")?,
                ))
            })
            .collect()
    }

    /// Party members in no branch or group: `(user, name)`, by name.
    pub async fn unplaced_party_members(&self) -> Result<Vec<(i64, String)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT id, name FROM users WHERE party_member = 1
             AND id NOT IN (SELECT user_id FROM party_members) ORDER BY name, id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect()
    }

    /// Whether a user has the party-member flag (none: no such user).
    pub async fn is_party_member(&self, user: i64) -> Result<Option<bool>, sqlx::Error> {
        let flag: Option<i64> = sqlx::query_scalar("SELECT party_member FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&self.pool)
            .await?;
        Ok(flag.map(|f| f != 0))
    }

    /// The branch or group a member sits in.
    pub async fn member_org(&self, user: i64) -> Result<Option<i64>, sqlx::Error> {
        sqlx::query_scalar("SELECT org_id FROM party_members WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&self.pool)
            .await
    }

    /// Members of these organisations (user ids).
    pub async fn members_of(&self, orgs: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
        let all = self.org_members().await?;
        Ok(all
            .into_iter()
            .filter(|m| orgs.contains(&m.org))
            .map(|m| m.user)
            .collect())
    }

    /// Writes a meeting and its list in one transaction; answers its id.
    pub async fn insert_meeting(
        &self,
        m: &NewMeeting<'_>,
        expected: &[i64],
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (org_id, kind, title, starts_at, place, token, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(m.org)
        .bind(m.kind.as_str())
        .bind(m.title)
        .bind(m.starts_at)
        .bind(m.place)
        .bind(m.token)
        .bind(m.by)
        .bind(m.at)
        .fetch_one(&mut *tx)
        .await?;
        for user in expected {
            sqlx::query("INSERT INTO meeting_attendees (meeting_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*user)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Meetings as `user` sees them: all when `all`, else those with `user` on the
    /// list; one when `only` is set. Newest first.
    pub async fn meeting_lines(
        &self,
        user: i64,
        all: bool,
        only: Option<i64>,
    ) -> Result<Vec<MeetingLine>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.id, m.org_id, o.name AS org_name, m.kind, m.title, m.starts_at, m.place,
                    CAST(CASE WHEN m.minutes = '' THEN 0 ELSE 1 END AS BIGINT) AS has_minutes,
                    (SELECT COUNT(*) FROM meeting_attendees a WHERE a.meeting_id = m.id) AS expected,
                    (SELECT COUNT(a.checked_in_at) FROM meeting_attendees a
                      WHERE a.meeting_id = m.id) AS attended,
                    (SELECT COUNT(*) FROM meeting_attendees a
                      WHERE a.meeting_id = m.id AND a.user_id = $1) AS listed,
                    (SELECT COUNT(a.checked_in_at) FROM meeting_attendees a
                      WHERE a.meeting_id = m.id AND a.user_id = $1) AS checked
             FROM meetings m JOIN party_orgs o ON o.id = m.org_id
             WHERE ($2 = 1 OR EXISTS (SELECT 1 FROM meeting_attendees a
                                      WHERE a.meeting_id = m.id AND a.user_id = $1))
               AND ($3 = 0 OR m.id = $3)
             ORDER BY m.starts_at DESC, m.id DESC LIMIT 300",
        )
        .bind(user)
        .bind(i64::from(all))
        .bind(only.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MeetingLine {
                    id: r.try_get("id")?,
                    org: r.try_get("org_id")?,
                    org_name: r.try_get("org_name")?,
                    kind: MeetingKind::parse(&r.try_get::<String, _>("kind")?)
                        .unwrap_or(MeetingKind::Lecture),
                    title: r.try_get("title")?,
                    starts_at: r.try_get("starts_at")?,
                    place: r.try_get("place")?,
                    expected: u32_col(r, "expected")?,
                    attended: u32_col(r, "attended")?,
                    mine: (u32_col(r, "listed")? > 0)
                        .then(|| u32_col(r, "checked").unwrap_or(0) > 0),
                    has_minutes: r.try_get::<i64, _>("has_minutes")? != 0,
                })
            })
            .collect()
    }

    pub async fn meeting_facts(&self, id: i64) -> Result<Option<MeetingFacts>, sqlx::Error> {
        let row =
            sqlx::query("SELECT org_id, starts_at, token, minutes FROM meetings WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(MeetingFacts {
                org: r.try_get("org_id")?,
                starts_at: r.try_get("starts_at")?,
                token: r.try_get("token")?,
                minutes: r.try_get("minutes")?,
            })
        })
        .transpose()
    }

    /// Everyone on a meeting's list, by name.
    pub async fn attendees(&self, id: i64) -> Result<Vec<Attendee>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.user_id, u.name, a.checked_in_at FROM meeting_attendees a
             JOIN users u ON u.id = a.user_id WHERE a.meeting_id = $1 ORDER BY u.name, u.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Attendee {
                    user: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    checked_in_at: r.try_get("checked_in_at")?,
                })
            })
            .collect()
    }

    pub async fn set_minutes(&self, id: i64, minutes: &str) -> Result<bool, sqlx::Error> {
        Ok(
            sqlx::query("UPDATE meetings SET minutes = $2 WHERE id = $1")
                .bind(id)
                .bind(minutes)
                .execute(&self.pool)
                .await?
                .rows_affected()
                > 0,
        )
    }

    /// Whether `user` is on the meeting's list.
    pub async fn listed(&self, id: i64, user: i64) -> Result<bool, sqlx::Error> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_attendees WHERE meeting_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(user)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// Checks a listed member in (once) and pays the meeting points in the same
    /// transaction; answers the points (0 when already in or capped).
    pub async fn meeting_check_in(
        &self,
        id: i64,
        user: i64,
        at: i64,
        award: Option<&Award<'_>>,
    ) -> Result<u32, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let first = sqlx::query(
            "UPDATE meeting_attendees SET checked_in_at = $3
             WHERE meeting_id = $1 AND user_id = $2 AND checked_in_at IS NULL",
        )
        .bind(id)
        .bind(user)
        .bind(at)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        let points = match (first, award) {
            (true, Some(a)) => award_in(&mut tx, a).await?,
            _ => 0,
        };
        tx.commit().await?;
        Ok(points)
    }

    /// Attendance over meetings started before `before`: `(org, expected, attended)`.
    pub async fn attendance_per_org(
        &self,
        before: i64,
    ) -> Result<Vec<(i64, u32, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT m.org_id, COUNT(*) AS expected, COUNT(a.checked_in_at) AS attended
             FROM meetings m JOIN meeting_attendees a ON a.meeting_id = m.id
             WHERE m.starts_at < $1 GROUP BY m.org_id",
        )
        .bind(before)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("org_id")?,
                    u32_col(r, "expected")?,
                    u32_col(r, "attended")?,
                ))
            })
            .collect()
    }

    /// Attendance per member (one member when `only` is set) over meetings started
    /// before `before`: `(user, name, expected, attended)`, by name.
    pub async fn attendance_per_member(
        &self,
        before: i64,
        only: Option<i64>,
    ) -> Result<Vec<(i64, String, u32, u32)>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT a.user_id, u.name, COUNT(*) AS expected, COUNT(a.checked_in_at) AS attended
             FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
             JOIN users u ON u.id = a.user_id
             WHERE m.starts_at < $1 AND ($2 = 0 OR a.user_id = $2)
             GROUP BY a.user_id, u.name ORDER BY u.name, a.user_id",
        )
        .bind(before)
        .bind(only.unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("user_id")?,
                    r.try_get("name")?,
                    u32_col(r, "expected")?,
                    u32_col(r, "attended")?,
                ))
            })
            .collect()
    }
}
