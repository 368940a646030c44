//! What a successful editors' form did, carried back to its page as `?done=…`.

/// The outcome a form's page announces after the server function redirected back to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Saved,
    Submitted,
    Published,
    Approved,
    Rejected,
    Archived,
    Unarchived,
    Restored,
    Deleted,
    Created,
    Updated,
    PasswordChanged,
}

impl Done {
    const ALL: [Done; 12] = [
        Done::Saved,
        Done::Submitted,
        Done::Published,
        Done::Approved,
        Done::Rejected,
        Done::Archived,
        Done::Unarchived,
        Done::Restored,
        Done::Deleted,
        Done::Created,
        Done::Updated,
        Done::PasswordChanged,
    ];

    /// The value of `?done=` in the address.
    pub fn code(self) -> &'static str {
        match self {
            Done::Saved => "saved",
            Done::Submitted => "submitted",
            Done::Published => "published",
            Done::Approved => "approved",
            Done::Rejected => "rejected",
            Done::Archived => "archived",
            Done::Unarchived => "unarchived",
            Done::Restored => "restored",
            Done::Deleted => "deleted",
            Done::Created => "created",
            Done::Updated => "updated",
            Done::PasswordChanged => "password",
        }
    }

    pub fn from_code(code: &str) -> Option<Done> {
        Done::ALL.into_iter().find(|done| done.code() == code)
    }

    /// What the page tells the editor.
    pub fn message(self) -> &'static str {
        match self {
            Done::Saved => "已保存",
            Done::Submitted => "已提交审核,等待编辑审核",
            Done::Published => "已发布",
            Done::Approved => "审核通过",
            Done::Rejected => "已退回修改,作者会看到退回原因",
            Done::Archived => "已归档,访客看不到这篇文章了",
            Done::Unarchived => "已恢复为草稿",
            Done::Restored => "已恢复旧版本,并保存为新版本",
            Done::Deleted => "已删除",
            Done::Created => "已创建",
            Done::Updated => "已更新",
            Done::PasswordChanged => "密码已修改",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_reads_back_from_its_code() {
        for done in Done::ALL {
            assert_eq!(Done::from_code(done.code()), Some(done));
            assert!(!done.message().is_empty());
        }
        assert_eq!(Done::from_code("nonsense"), None);
    }
}
