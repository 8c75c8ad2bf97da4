//! Users and their grid duties.
use super::{Db, now_ms};
use app::domain::grid::{Duty, GridId};
use app::domain::user::{Role, SessionUser, UserId, mask_phone};
use sqlx::Row;

pub struct NewUser<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub volunteer: bool,
    pub party_member: bool,
    pub scope: Option<GridId>,
    /// Made by someone who knows the person (staff accounts, the demo); a resident's
    /// own sign-up is not (see migration 0013).
    pub phone_verified: bool,
}

pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
}

impl Db {
    pub async fn insert_user(&self, u: &NewUser<'_>) -> Result<UserId, sqlx::Error> {
        let row = sqlx::query(
            "INSERT INTO users (name, phone, password_hash, role, volunteer, party_member, scope_grid_id,
                                created_at, phone_verified_at, phone_verified_how)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                     CASE WHEN $9 = 1 THEN $8 END, CASE WHEN $9 = 1 THEN 'created' END)
             RETURNING id",
        )
        .bind(u.name)
        .bind(u.phone)
        .bind(u.password_hash)
        .bind(u.role.as_str())
        .bind(i64::from(u.volunteer))
        .bind(i64::from(u.party_member))
        .bind(u.scope.map(|g| g.0))
        .bind(now_ms())
        .bind(i64::from(u.phone_verified))
        .fetch_one(&self.pool)
        .await?;
        Ok(UserId(row.try_get("id")?))
    }

    pub async fn credentials(&self, phone: &str) -> Result<Option<Credentials>, sqlx::Error> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE phone = $1")
            .bind(phone)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(Credentials {
                id: UserId(r.try_get("id")?),
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    /// The user as a session sees them, with their grid duties.
    pub async fn session_user(&self, id: UserId) -> Result<Option<SessionUser>, sqlx::Error> {
        let Some(r) = sqlx::query(
            "SELECT id, name, phone, role, volunteer, party_member, elder,
                    CASE WHEN phone_verified_at IS NULL THEN 0 ELSE 1 END AS verified
             FROM users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let duties = sqlx::query(
            "SELECT grid_id, duty FROM grid_staff WHERE user_id = $1 ORDER BY grid_id, duty",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        let role: String = r.try_get("role")?;
        let phone: String = r.try_get("phone")?;
        let verified = r.try_get::<i64, _>("verified")? != 0;
        // Only a proven number links the account to the registry person.
        let home = if verified {
            self.home_grid(&phone).await?
        } else {
            None
        };
        Ok(Some(SessionUser {
            id: UserId(r.try_get("id")?),
            name: r.try_get("name")?,
            phone_masked: mask_phone(&phone),
            role: Role::parse(&role).unwrap_or(Role::Resident),
            volunteer: r.try_get::<i64, _>("volunteer")? != 0,
            party_member: r.try_get::<i64, _>("party_member")? != 0,
            grids: duties
                .iter()
                .filter_map(|d| {
                    let duty: String = d.try_get("duty").ok()?;
                    Some((GridId(d.try_get("grid_id").ok()?), Duty::parse(&duty)?))
                })
                .collect(),
            home,
            phone_verified: verified,
            elder: r.try_get::<i64, _>("elder")? != 0,
        }))
    }

    /// Remembers 长辈版 with the account.
    pub async fn set_elder(&self, id: UserId, on: bool) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE users SET elder = $1 WHERE id = $2")
            .bind(i64::from(on))
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn count_users(&self) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await
    }
}
