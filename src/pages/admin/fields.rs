//! Form fields the editors' forms share.

use leptos::prelude::*;

use crate::model::escape_html;

/// A labelled one-line text field.
#[component]
pub fn TextField(
    label: &'static str,
    name: &'static str,
    value: String,
    max: usize,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <input name=name value=value maxlength=max required=required/>
        </label>
    }
}

/// A labelled checkbox sending `true` when ticked.
#[component]
pub fn Flag(label: &'static str, name: &'static str, checked: bool) -> impl IntoView {
    view! {
        <label class="checkbox">
            <input type="checkbox" name=name value="true" checked=checked/>
            {label}
        </label>
    }
}

/// A textarea holding `value`. Its text is written as escaped markup rather than as a child
/// text node, which an empty value would leave out of the server's HTML and so break
/// hydration.
#[component]
pub fn TextArea(
    name: &'static str,
    value: String,
    rows: u32,
    max: usize,
    #[prop(optional)] id: Option<&'static str>,
    #[prop(optional)] rich: bool,
) -> impl IntoView {
    view! {
        <textarea
            id=id
            name=name
            rows=rows
            maxlength=max
            data-rich-editor=rich.then_some("")
            inner_html=escape_html(&value)
        ></textarea>
    }
}
