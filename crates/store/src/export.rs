//! Export placeholder
