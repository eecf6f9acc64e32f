//! Where mail goes (SPEC §8). [`decide`] is the rule, a pure function of what the directory
//! knows about an address; [`route`] gathers those facts from the database. The HTTP API and,
//! later, the mail-server protocols use the same two.

use shared::dto::{AccountStatus, MailRoute, RouteAction, RouteReason};
use shared::value::{EmailAddress, is_reserved_local_part};
use uuid::Uuid;

use super::Services;
use crate::error::Result;
use crate::store::{accounts, addresses, domains, groups, organizations};

/// The domain part of an address, as the directory sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainFacts {
    /// The provider's own mail domain.
    Provider,
    /// A domain an organization verified, with its owner's mailbox.
    Verified { owner_mailbox: String },
    /// Unknown, or added but not verified.
    Unknown,
}

/// What the address itself names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetFacts {
    None,
    /// An account's primary address or alias: the account's mailbox and whether it is active.
    Account {
        mailbox: String,
        active: bool,
    },
    /// A group address: each member's mailbox and whether it is active.
    Group {
        members: Vec<(String, bool)>,
    },
}

fn deliver(mailboxes: Vec<String>) -> MailRoute {
    MailRoute {
        action: RouteAction::Deliver,
        mailboxes,
        reason: None,
    }
}

fn reject(reason: RouteReason) -> MailRoute {
    MailRoute {
        action: RouteAction::Reject,
        mailboxes: vec![],
        reason: Some(reason),
    }
}

/// The rule of SPEC §8.
pub fn decide(
    local: &str,
    domain: &DomainFacts,
    target: &TargetFacts,
    abuse_desk: &str,
) -> MailRoute {
    let fallback = match domain {
        DomainFacts::Unknown => return reject(RouteReason::UnknownDomain),
        DomainFacts::Provider => {
            if local == "abuse" || local == "postmaster" {
                return deliver(vec![abuse_desk.to_owned()]);
            }
            if is_reserved_local_part(local) {
                return reject(RouteReason::Reserved);
            }
            None
        }
        DomainFacts::Verified { owner_mailbox } => {
            if local == "abuse" {
                return deliver(vec![abuse_desk.to_owned()]);
            }
            // support@ and postmaster@ reach the owner until an account takes them.
            (local == "support" || local == "postmaster").then(|| owner_mailbox.clone())
        }
    };
    match target {
        TargetFacts::Account {
            mailbox,
            active: true,
        } => deliver(vec![mailbox.clone()]),
        TargetFacts::Account { active: false, .. } => reject(RouteReason::AccountDisabled),
        TargetFacts::Group { members } => MailRoute {
            action: RouteAction::Expand,
            mailboxes: members
                .iter()
                .filter(|(_, active)| *active)
                .map(|(m, _)| m.clone())
                .collect(),
            reason: None,
        },
        TargetFacts::None => match fallback {
            Some(owner) => deliver(vec![owner]),
            None => reject(RouteReason::UnknownAddress),
        },
    }
}

/// The organization owning `addr`, when the directory knows one (for scoping admins' queries).
pub async fn organization_of(s: &Services, addr: &EmailAddress) -> Result<Option<Uuid>> {
    if addr.domain() != s.config.provider_domain
        && let Some(org) = domains::verified(s.db.read(), addr.domain()).await?
    {
        return Ok(Some(org.organization_id));
    }
    Ok(addresses::find(s.db.read(), addr.as_str())
        .await?
        .map(|a| a.organization_id))
}

/// Whether `addr` is the business of an admin of `org`: its organization's, or on a domain `org`
/// holds (verified or not yet).
pub async fn held_by(s: &Services, org: Option<Uuid>, addr: &EmailAddress) -> Result<bool> {
    let Some(org) = org else {
        return Ok(false);
    };
    Ok(match organization_of(s, addr).await? {
        Some(owner) => owner == org,
        None => domains::held(s.db.read(), org, addr.domain())
            .await?
            .is_some(),
    })
}

/// Gathers the facts about `addr` and decides.
pub async fn route(s: &Services, addr: &EmailAddress) -> Result<MailRoute> {
    let db = s.db.read();
    // The organization that verified the domain; only its addresses are delivered there.
    let mut domain_org = None;
    let domain = if addr.domain() == s.config.provider_domain {
        DomainFacts::Provider
    } else {
        match domains::verified(db, addr.domain()).await? {
            Some(d) => {
                domain_org = Some(d.organization_id);
                let org = organizations::get(db, d.organization_id).await?;
                let owner = org
                    .owner_account_id
                    .ok_or_else(|| anyhow::anyhow!("organization without owner"))?;
                let owner_mailbox = addresses::primary_of(db, owner).await?.unwrap_or_default();
                DomainFacts::Verified { owner_mailbox }
            }
            None => DomainFacts::Unknown,
        }
    };
    let target = match addresses::find(db, addr.as_str()).await? {
        None => TargetFacts::None,
        // An address held by another organization than the one that verified its domain
        // (a domain that changed hands) is nobody's here: never deliver across organizations.
        Some(row) if domain_org.is_some_and(|org| org != row.organization_id) => {
            tracing::warn!(address = %addr, "address held by another organization than its domain's");
            TargetFacts::None
        }
        Some(row) => match (row.account_id, row.group_id) {
            (Some(account_id), _) => {
                let account = accounts::get(db, account_id).await?;
                TargetFacts::Account {
                    mailbox: addresses::primary_of(db, account_id)
                        .await?
                        .unwrap_or_default(),
                    active: account.status == AccountStatus::Active,
                }
            }
            (None, Some(group_id)) => {
                let out = groups::member_mailboxes(db, group_id).await?;
                TargetFacts::Group { members: out }
            }
            (None, None) => TargetFacts::None,
        },
    };
    Ok(decide(
        addr.local_part(),
        &domain,
        &target,
        &s.config.abuse_address,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESK: &str = "abuse@postwarden.test";

    fn verified() -> DomainFacts {
        DomainFacts::Verified {
            owner_mailbox: "owner@postwarden.test".into(),
        }
    }

    fn account(active: bool) -> TargetFacts {
        TargetFacts::Account {
            mailbox: "mario@example.org".into(),
            active,
        }
    }

    /// Local part, domain, target → action, mailboxes, reason.
    type Case = (
        &'static str,
        DomainFacts,
        TargetFacts,
        RouteAction,
        Vec<&'static str>,
        Option<RouteReason>,
    );

    #[test]
    fn every_rule_of_spec_section_8() {
        use RouteAction::*;
        use RouteReason::*;
        let group = TargetFacts::Group {
            members: vec![
                ("a@example.org".into(), true),
                ("b@example.org".into(), false),
                ("c@example.org".into(), true),
            ],
        };
        let cases: Vec<Case> = vec![
            // unknown address, known domain
            (
                "nobody",
                verified(),
                TargetFacts::None,
                Reject,
                vec![],
                Some(UnknownAddress),
            ),
            (
                "nobody",
                DomainFacts::Provider,
                TargetFacts::None,
                Reject,
                vec![],
                Some(UnknownAddress),
            ),
            // unknown or pending domain
            (
                "mario",
                DomainFacts::Unknown,
                account(true),
                Reject,
                vec![],
                Some(UnknownDomain),
            ),
            // accounts (primary address or alias) and disabled ones
            (
                "mario",
                verified(),
                account(true),
                Deliver,
                vec!["mario@example.org"],
                None,
            ),
            (
                "alias",
                verified(),
                account(true),
                Deliver,
                vec!["mario@example.org"],
                None,
            ),
            (
                "mario",
                verified(),
                account(false),
                Reject,
                vec![],
                Some(AccountDisabled),
            ),
            (
                "mario",
                DomainFacts::Provider,
                account(false),
                Reject,
                vec![],
                Some(AccountDisabled),
            ),
            // groups expand to active members only
            (
                "team",
                verified(),
                group.clone(),
                Expand,
                vec!["a@example.org", "c@example.org"],
                None,
            ),
            (
                "team",
                DomainFacts::Provider,
                group,
                Expand,
                vec!["a@example.org", "c@example.org"],
                None,
            ),
            // abuse@ goes to the provider's desk, even when something claims it
            (
                "abuse",
                verified(),
                TargetFacts::None,
                Deliver,
                vec![DESK],
                None,
            ),
            (
                "abuse",
                verified(),
                account(true),
                Deliver,
                vec![DESK],
                None,
            ),
            (
                "abuse",
                DomainFacts::Provider,
                TargetFacts::None,
                Deliver,
                vec![DESK],
                None,
            ),
            (
                "postmaster",
                DomainFacts::Provider,
                TargetFacts::None,
                Deliver,
                vec![DESK],
                None,
            ),
            // support@ / postmaster@: the owner until an account takes them
            (
                "support",
                verified(),
                TargetFacts::None,
                Deliver,
                vec!["owner@postwarden.test"],
                None,
            ),
            (
                "postmaster",
                verified(),
                TargetFacts::None,
                Deliver,
                vec!["owner@postwarden.test"],
                None,
            ),
            (
                "support",
                verified(),
                account(true),
                Deliver,
                vec!["mario@example.org"],
                None,
            ),
            (
                "postmaster",
                verified(),
                account(false),
                Reject,
                vec![],
                Some(AccountDisabled),
            ),
            // other reserved names on the provider domain
            (
                "hostmaster",
                DomainFacts::Provider,
                TargetFacts::None,
                Reject,
                vec![],
                Some(Reserved),
            ),
            (
                "support",
                DomainFacts::Provider,
                TargetFacts::None,
                Reject,
                vec![],
                Some(Reserved),
            ),
            (
                "noreply",
                DomainFacts::Provider,
                TargetFacts::None,
                Reject,
                vec![],
                Some(Reserved),
            ),
            // unknown domain wins over reserved names
            (
                "abuse",
                DomainFacts::Unknown,
                TargetFacts::None,
                Reject,
                vec![],
                Some(UnknownDomain),
            ),
        ];
        for (local, domain, target, action, mailboxes, reason) in cases {
            let got = decide(local, &domain, &target, DESK);
            let want = MailRoute {
                action,
                mailboxes: mailboxes.into_iter().map(String::from).collect(),
                reason,
            };
            assert_eq!(got, want, "{local} on {domain:?} with {target:?}");
        }
    }
}
