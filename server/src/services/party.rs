//! The party organisation: admins keep the tree (大党委 → branches → groups → members,
//! 中心户), anyone studying sees the branch rankings.
//! UNCOMPILED draft (session 8): wire as `PartyPort` in app/src/api/ports.rs and
//! services/mod.rs, add `pub mod party;` to db/mod.rs and services/mod.rs.
use super::{internal, signed_in};
use crate::db::{Db, now_ms};
use app::domain::AppError;
use app::domain::authz::{Action, require};
use app::domain::party::{
    BranchRank, Org, OrgInput, OrgKind, OrgMember, branch_of, branch_ranks, check_org,
    would_cycle,
};
use app::domain::user::Actor;
use app::i18n::Msg;

pub struct PartyService {
    pub db: Db,
}

/// The tree as admins see it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct OrgTree {
    pub orgs: Vec<Org>,
    pub members: Vec<OrgMember>,
}

impl PartyService {
    pub async fn tree(&self, actor: &Actor) -> Result<OrgTree, AppError> {
        require(actor, Action::ManageStudy)?;
        Ok(OrgTree {
            orgs: self.db.orgs().await.map_err(internal)?,
            members: self.db.org_members().await.map_err(internal)?,
        })
    }

    pub async fn save_org(&self, actor: &Actor, o: OrgInput) -> Result<i64, AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let orgs = self.db.orgs().await.map_err(internal)?;
        let parent = o
            .parent
            .and_then(|p| orgs.iter().find(|x| x.id == p))
            .map(|p| p.kind);
        check_org(&o, parent)?;
        if let (Some(id), Some(p)) = (o.id, o.parent) {
            if would_cycle(&orgs, id, p) {
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
            .audit(Some(user), "party.org", &format!("org {id} {}", o.kind.as_str()))
            .await
            .map_err(internal)?;
        Ok(id)
    }

    /// Puts a party member (by user id) into a branch or group.
    pub async fn set_member(
        &self,
        actor: &Actor,
        member: i64,
        org: i64,
        central: bool,
    ) -> Result<(), AppError> {
        require(actor, Action::ManageStudy)?;
        let user = signed_in(actor)?.id;
        let orgs = self.db.orgs().await.map_err(internal)?;
        match orgs.iter().find(|o| o.id == org) {
            Some(o) if o.kind.has_members() => {}
            Some(_) => return Err(AppError::invalid("org", Msg::ErrOrgParent)),
            None => return Err(AppError::NotFound),
        }
        // TODO(next session): refuse users without the party-member flag (422, new Msg).
        self.db
            .set_org_member(member, org, central, now_ms())
            .await
            .map_err(internal)?;
        self.db
            .audit(Some(user), "party.member", &format!("user {member} → org {org}"))
            .await
            .map_err(internal)
    }

    /// Branch rankings since `from`: members of a group count towards its branch.
    pub async fn branch_rankings(&self, actor: &Actor, from: i64) -> Result<Vec<BranchRank>, AppError> {
        require(actor, Action::Study)?;
        let orgs = self.db.orgs().await.map_err(internal)?;
        let per_org = self.db.points_per_org(from).await.map_err(internal)?;
        let mut rows: Vec<(i64, String, u32, u32)> = orgs
            .iter()
            .filter(|o| o.kind == OrgKind::Branch)
            .map(|o| (o.id, o.name.clone(), 0, 0))
            .collect();
        for (org, members, points) in per_org {
            if let Some(b) = branch_of(&orgs, org) {
                if let Some(row) = rows.iter_mut().find(|r| r.0 == b) {
                    row.2 += members;
                    row.3 += points;
                }
            }
        }
        Ok(branch_ranks(&rows))
    }
}
