//! Forms: a few labelled fields, text ones backed by a real text input (tui-input), on/off
//! ones toggled with Space, locked ones shown with the reason they are locked.

use crossterm::event::{Event, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::to_input_request;

#[derive(Debug, Clone)]
pub enum Value {
    Text(Input),
    Toggle(bool),
}

/// Which field of a form: the code reads a form's values by these, never by a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Name,
    Email,
    PictureUrl,
    LoginAccess,
    System,
    NewSystem,
    ExternalId,
    File,
    Preset,
    Format,
    Columns,
    Source,
}

impl FieldId {
    /// What the form shows beside the field.
    pub fn label(self) -> &'static str {
        match self {
            FieldId::Name => "Name",
            FieldId::Email => "Email",
            FieldId::PictureUrl => "Picture URL",
            FieldId::LoginAccess => "Login access",
            FieldId::System => "System",
            FieldId::NewSystem => "New system",
            FieldId::ExternalId => "External ID",
            FieldId::File => "File",
            FieldId::Preset => "Preset",
            FieldId::Format => "Format",
            FieldId::Columns => "Columns",
            FieldId::Source => "Source",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub id: FieldId,
    pub value: Value,
    /// Why the field cannot be edited, when it cannot.
    pub locked: Option<String>,
}

impl FormField {
    pub fn text(id: FieldId, value: &str) -> FormField {
        FormField {
            id,
            value: Value::Text(Input::new(value.to_owned())),
            locked: None,
        }
    }

    pub fn toggle(id: FieldId, on: bool) -> FormField {
        FormField {
            id,
            value: Value::Toggle(on),
            locked: None,
        }
    }

    pub fn label(&self) -> &'static str {
        self.id.label()
    }

    pub fn locked(mut self, reason: Option<String>) -> FormField {
        self.locked = reason;
        self
    }

    pub fn text_value(&self) -> &str {
        match &self.value {
            Value::Text(i) => i.value(),
            Value::Toggle(_) => "",
        }
    }

    pub fn on(&self) -> bool {
        matches!(self.value, Value::Toggle(true))
    }
}

/// What a form is for, with the version of the profile it was filled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    Edit {
        id: i64,
        version: i64,
    },
    New,
    Connect {
        id: i64,
        version: i64,
    },
    Import,
    /// `p`: which source to pull (tui/pull.rs).
    Pull,
}

impl Purpose {
    /// What Enter does, for the footer.
    pub fn save_hint(&self) -> &'static str {
        match self {
            Purpose::Import | Purpose::Pull => "dry run",
            _ => "save",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub purpose: Purpose,
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A sentence above the fields.
    pub note: Option<String>,
}

impl Form {
    pub fn new(purpose: Purpose, title: impl Into<String>, fields: Vec<FormField>) -> Form {
        let mut form = Form {
            purpose,
            title: title.into(),
            fields,
            focus: 0,
            note: None,
        };
        if form.fields[0].locked.is_some() {
            form.next();
        }
        form
    }

    pub fn with_note(mut self, note: Option<String>) -> Form {
        self.note = note;
        self
    }

    /// Moves the focus to the next editable field (wrapping).
    pub fn next(&mut self) {
        self.step(1);
    }

    pub fn prev(&mut self) {
        self.step(self.fields.len() - 1);
    }

    fn step(&mut self, by: usize) {
        let n = self.fields.len();
        for i in 1..=n {
            let j = (self.focus + by * i) % n;
            if self.fields[j].locked.is_none() {
                self.focus = j;
                return;
            }
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&FormField> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The text of field `id` ("" when the form has no such text field).
    pub fn text(&self, id: FieldId) -> &str {
        self.field(id).map_or("", FormField::text_value)
    }

    /// Field `id` is an on/off field that is on.
    pub fn on(&self, id: FieldId) -> bool {
        self.field(id).is_some_and(FormField::on)
    }

    /// Field `id` can be edited (it exists and is not locked).
    pub fn editable(&self, id: FieldId) -> bool {
        self.field(id).is_some_and(|f| f.locked.is_none())
    }

    /// Space: switches an on/off field, types a space in a text field.
    pub fn toggle(&mut self, space: KeyEvent) {
        let field = &mut self.fields[self.focus];
        match &mut field.value {
            Value::Toggle(on) => *on = !*on,
            Value::Text(_) => self.typed(space),
        }
    }

    /// A key for the focused text field.
    pub fn typed(&mut self, key: KeyEvent) {
        let field = &mut self.fields[self.focus];
        if field.locked.is_some() {
            return;
        }
        if let Value::Text(input) = &mut field.value
            && let Some(req) = to_input_request(&Event::Key(key))
        {
            input.handle(req);
        }
    }
}
