//! The party organisation: admins keep the tree (大党委 → branches → groups → members,
//! 中心户); anyone studying sees the branch rankings. 三会一课: admins call a meeting
//! for a branch or group, everyone under it is listed and told by push, members check
//! in by the meeting's QR code (points under the day's cap), admins keep the minutes;
//! attendance rates per branch and member.
use super::push::PushService;
use super::shift::random_token;
use super::study::month_start;
use super::{internal, signed_in};
use crate::db::party::NewMeeting;
use crate::db::study::Award;
use crate::db::{Db, now_ms};
use app::api::ports::PartyPort;
use app::domain::AppError;
use app::domain::authz::{Action, allowed, require};
use app::domain::party::{
    BranchRank, BranchRankings, CHECKIN_AFTER_MS, MINUTES_MAX, MeetingDetail, MeetingInput,
    MeetingsPage, Org, OrgInput, OrgKind, OrgTree, RateLine, branch_of, branch_ranks, branch_rates,
    check_meeting, check_org, checkin_open, subtree, would_cycle,
};
use app::domain::push::PushMessage;
use app::domain::study::{Activity, day_number};
use app::domain::user::{Actor, UserId};
use app::i18n::Msg;
use std::sync::Arc;

pub struct PartyService {
    pub db: Db,
    pub push: Arc<PushService>,
}

impl PartyService {
    async fn facts(&self, id: i64) -> Result<crate::db::party::MeetingFacts, AppError> {
        self.db
            .meeting_facts(id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)
    }

    async fn orgs(&self) -> Result<Vec<Org>, AppError> {
        self.db.orgs().await.map_err(internal)
    }

    async fn ranks_since(&self, orgs: &[Org], from: i64) -> Result<Vec<BranchRank>, AppError> {
        let per_org = self.db.points_per_org(from).await.map_err(internal)?;
        let mut rows: Vec<(i64, String, u32, u32)> = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::Branch)
            .map(|o| (o.id, o.name.clone(), 0, 0))
            .collect();
        for (org, members, points) in per_org {
            if let Some(b) = branch_of(orgs, org)
                && let Some(row) = rows.iter_mut().find(|r| r.0 == b)
            {
                row.2 += members;
                row.3 += points;
            }
        }
        Ok(branch_ranks(&rows))
    }
}

#[async_trait::async_trait]
impl PartyPort for PartyService {
    async fn tree(&self, actor: &Actor) -> Result<OrgTree, AppError> {
        require(actor, Action::ManageStudy)?;
        Ok(OrgTree {
            orgs: self.orgs().await?,
            members: self.db.org_members().await.map_err(internal)?,
            unplaced: self.db.unplaced_party_members().await.map_err(internal)?,
        })
    }

    async fn save_org(&self, actor: &Actor, o: OrgInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let orgs = self.orgs().await?;
        let parent = o
            .parent
            .and_then(|p| orgs.iter().find(|x| x.id == p))
            .map(|p| p.kind);
        check_org(&o, parent)?;
        if let Some(id) = o.id {
            let Some(now) = orgs.iter().find(|x| x.id == id) else {
                return Err(AppError::NotFound);
            };
            // A level change would strand the organisations and members under it.
            if now.kind != o.kind {
                return Err(AppError::invalid("parent", Msg::ErrOrgParent));
            }
            if let Some(p) = o.parent
                && would_cycle(&orgs, id, p)
            {
                return Err(AppError::invalid("parent", Msg::ErrOrgParent));
            }
        }
        let id = self
            .db
            .save_org(&o, now_ms())
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        self.db
            .audit(
                Some(user),
                "party.org",
                &format!("org {id} {} {}", o.kind.as_str(), o.name.trim()),
            )
            .await
            .map_err(internal)?;
        Ok(id)
    }

    async fn set_member(
        &self,
        actor: &Actor,
        member: i64,
        org: i64,
        central: bool,
    ) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let orgs = self.orgs().await?;
        match orgs.iter().find(|o| o.id == org) {
            Some(o) if o.kind.has_members() => {}
            _ => return Err(AppError::invalid("org", Msg::ErrOrgMemberPlace)),
        }
        match self.db.is_party_member(member).await.map_err(internal)? {
            Some(true) => {}
            Some(false) => return Err(AppError::invalid("user", Msg::ErrNotPartyMember)),
            None => return Err(AppError::NotFound),
        }
        self.db
            .set_org_member(member, org, central, now_ms())
            .await
            .map_err(internal)?;
        self.db
            .audit(
                Some(user),
                "party.member",
                &format!("user {member} → org {org} central {central}"),
            )
            .await
            .map_err(internal)
    }

    async fn remove_member(&self, actor: &Actor, member: i64) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        if !self.db.remove_org_member(member).await.map_err(internal)? {
            return Err(AppError::NotFound);
        }
        self.db
            .audit(Some(user), "party.member", &format!("user {member} out"))
            .await
            .map_err(internal)
    }

    async fn branch_rankings(&self, actor: &Actor) -> Result<BranchRankings, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let orgs = self.orgs().await?;
        let mine = self
            .db
            .member_org(user.0)
            .await
            .map_err(internal)?
            .and_then(|o| branch_of(&orgs, o));
        Ok(BranchRankings {
            month: self.ranks_since(&orgs, month_start(now_ms())).await?,
            total: self.ranks_since(&orgs, 0).await?,
            mine,
        })
    }

    async fn meetings(&self, actor: &Actor) -> Result<MeetingsPage, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let all = allowed(actor, Action::ManageStudy);
        let now = now_ms();
        let lines = self
            .db
            .meeting_lines(user.0, all, None)
            .await
            .map_err(internal)?;
        let (mut upcoming, past): (Vec<_>, Vec<_>) = lines
            .into_iter()
            .partition(|m| m.starts_at + CHECKIN_AFTER_MS >= now);
        upcoming.reverse();
        let orgs = self.orgs().await?;
        let closed = now - CHECKIN_AFTER_MS;
        let per_org = self.db.attendance_per_org(closed).await.map_err(internal)?;
        let members = self
            .db
            .attendance_per_member(closed, (!all).then_some(user.0))
            .await
            .map_err(internal)?
            .into_iter()
            .map(|(id, name, expected, attended)| RateLine {
                id,
                name,
                expected,
                attended,
            })
            .collect();
        Ok(MeetingsPage {
            upcoming,
            past,
            branches: branch_rates(&orgs, &per_org),
            members,
            orgs: if all { orgs } else { Vec::new() },
        })
    }

    async fn meeting(&self, actor: &Actor, id: i64) -> Result<MeetingDetail, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let all = allowed(actor, Action::ManageStudy);
        let line = self
            .db
            .meeting_lines(user.0, all, Some(id))
            .await
            .map_err(internal)?
            .into_iter()
            .next()
            .ok_or(AppError::NotFound)?;
        let facts = self.facts(id).await?;
        let attendees = if all {
            self.db.attendees(id).await.map_err(internal)?
        } else {
            Vec::new()
        };
        Ok(MeetingDetail {
            checkin_open: checkin_open(line.starts_at, now_ms()),
            line,
            minutes: facts.minutes,
            token: all.then_some(facts.token),
            attendees,
        })
    }

    async fn call_meeting(&self, actor: &Actor, m: MeetingInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let orgs = self.orgs().await?;
        let org = orgs.iter().find(|o| o.id == m.org);
        let starts_at = check_meeting(&m, org.map(|o| o.kind))?;
        let org_name = org.map(|o| o.name.clone()).unwrap_or_default();
        let expected = self
            .db
            .members_of(&subtree(&orgs, m.org))
            .await
            .map_err(internal)?;
        let token = random_token();
        let id = self
            .db
            .insert_meeting(
                &NewMeeting {
                    org: m.org,
                    kind: m.kind,
                    title: m.title.trim(),
                    starts_at,
                    place: m.place.trim(),
                    token: &token,
                    by: user.0,
                    at: now_ms(),
                },
                &expected,
            )
            .await
            .map_err(internal)?;
        self.db
            .audit(
                Some(user),
                "meeting.call",
                &format!("meeting {id} org {} {}", m.org, m.kind.as_str()),
            )
            .await
            .map_err(internal)?;
        self.push.to_users(
            expected.into_iter().map(UserId).collect(),
            PushMessage {
                title: format!("{} · {}", org_name, m.title.trim()),
                body: format!(
                    "{} {}",
                    app::domain::time::format_cst(starts_at),
                    m.place.trim()
                ),
                url: format!("/study/meetings/{id}"),
                tag: format!("meeting-{id}"),
            },
        );
        Ok(id)
    }

    async fn save_minutes(&self, actor: &Actor, id: i64, minutes: String) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        if minutes.chars().count() > MINUTES_MAX {
            return Err(AppError::invalid("minutes", Msg::ErrMinutesLong));
        }
        if !self
            .db
            .set_minutes(id, minutes.trim())
            .await
            .map_err(internal)?
        {
            return Err(AppError::NotFound);
        }
        self.db
            .audit(Some(user), "meeting.minutes", &format!("meeting {id}"))
            .await
            .map_err(internal)
    }

    async fn check_in(&self, actor: &Actor, id: i64, token: String) -> Result<u32, AppError> {
        require(actor, Action::Study)?;
        let user = signed_in(actor)?.id;
        let facts = self.facts(id).await?;
        if token.trim() != facts.token {
            return Err(AppError::invalid("token", Msg::ErrMeetingToken));
        }
        if !self.db.listed(id, user.0).await.map_err(internal)? {
            return Err(AppError::Conflict(Msg::ErrMeetingNotListed));
        }
        let now = now_ms();
        if !checkin_open(facts.starts_at, now) {
            return Err(AppError::Conflict(Msg::ErrMeetingClosed));
        }
        let rule = self
            .db
            .points_rule(Activity::Meeting)
            .await
            .map_err(internal)?
            .filter(|r| r.active);
        let reference = format!("meeting:{id}");
        let award = rule.map(|r| Award {
            user,
            activity: Activity::Meeting,
            points: r.points,
            cap: r.daily_cap,
            reason: "参加三会一课",
            reference: &reference,
            day: day_number(now),
            at: now,
        });
        self.db
            .meeting_check_in(id, user.0, now, award.as_ref())
            .await
            .map_err(internal)
    }
}
