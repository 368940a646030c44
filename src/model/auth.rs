//! Who is signed in, and what each role may do.

use serde::{Deserialize, Serialize};

use super::Role;

/// The signed-in user, as pages and server functions see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
}

/// What a server function needs its caller to be allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Write drafts and submit them: every role.
    Write,
    /// Publish, reject, archive any article: editors and admins.
    Publish,
    /// Categories and 友情链接: editors and admins.
    ManageContent,
    /// Site settings and users: admins.
    Administer,
}

impl Role {
    pub fn may(self, permission: Permission) -> bool {
        match permission {
            Permission::Write => true,
            Permission::Publish | Permission::ManageContent => {
                matches!(self, Role::Admin | Role::Editor)
            }
            Permission::Administer => self == Role::Admin,
        }
    }
}

impl SessionUser {
    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }

    pub fn name(&self) -> &str {
        if self.display_name.is_empty() {
            &self.username
        } else {
            &self.display_name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest() {
        use Permission::*;
        let allowed = |role: Role| {
            [Write, Publish, ManageContent, Administer]
                .into_iter()
                .filter(|permission| role.may(*permission))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            allowed(Role::Admin),
            [Write, Publish, ManageContent, Administer]
        );
        assert_eq!(allowed(Role::Editor), [Write, Publish, ManageContent]);
        assert_eq!(allowed(Role::Contributor), [Write]);
    }
}
