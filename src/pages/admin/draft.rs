//! Refilling a form that was rejected without JavaScript: the server kept what was typed
//! under the key in `?__form=…`.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::get_form_draft;

/// The fields typed into a rejected form, by name.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormDraft(Vec<(String, String)>);

impl FormDraft {
    pub fn value(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }

    /// A field's typed value, or `stored` when nothing was typed there.
    pub fn or(&self, name: &str, stored: &str) -> String {
        self.value(name).unwrap_or_else(|| stored.to_string())
    }

    /// A checkbox: ticked if it was ticked, or if nothing was typed and it is `stored`.
    pub fn checked(&self, name: &str, stored: bool) -> bool {
        if self.0.is_empty() {
            stored
        } else {
            self.value(name).is_some()
        }
    }
}

/// The draft named in the URL, if any.
pub fn use_form_draft() -> Resource<FormDraft> {
    let query = use_query_map();
    Resource::new(
        move || query.with(|query| query.get("__form")),
        |key| async move {
            match key {
                Some(key) => match get_form_draft(key).await {
                    Ok(fields) => FormDraft(fields),
                    // The form then shows what is stored; the reason is kept for whoever
                    // looks into it.
                    Err(error) => {
                        leptos::logging::warn!("the typed form could not be read back: {error}");
                        FormDraft::default()
                    }
                },
                None => FormDraft::default(),
            }
        },
    )
}
