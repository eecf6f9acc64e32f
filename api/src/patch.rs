//! Merge-patch fields (RFC 7396).

/// A field of a merge patch: absent (unchanged), `null` (cleared) or a new value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Patch<T> {
    #[default]
    Absent,
    Clear,
    Set(T),
}

impl<T> Patch<T> {
    /// Applies the patch to a stored optional value, converting the new value.
    pub fn apply_to<U>(self, current: &mut Option<U>, convert: impl FnOnce(T) -> U) {
        match self {
            Patch::Absent => {}
            Patch::Clear => *current = None,
            Patch::Set(v) => *current = Some(convert(v)),
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }
}
