//! A file of one site loaded into an installation that has content
//! (`raadhus import --site`): the installation already uses the file's ids,
//! so every id of the site moves past the installation's largest of its
//! kind, and every reference moves with it, those written in bodies too.
//! The users become the installation's users of the same e-mail address.

use std::collections::HashMap;
use std::iter::once;
use std::ops::Range;

use super::{Export, ExportSite, ImportError, error};
use crate::markup::blocks::contact_spans;
use crate::media::id_spans;

/// What each kind of id of the file is moved by: the largest id of the
/// kind the installation has (0 for none), so that the file's ids, from 1,
/// come after it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IdOffsets {
    pub contacts: i64,
    pub topics: i64,
    pub websites: i64,
    pub media: i64,
    pub media_revisions: i64,
    pub news: i64,
    pub news_revisions: i64,
    pub pages: i64,
    pub page_revisions: i64,
    pub redirects: i64,
    pub audit_log: i64,
}

/// Where a file's site goes: its new id, the offsets of the other ids, and
/// the installation's id of each of the file's users.
#[derive(Debug, Clone, Copy)]
pub struct Rebase<'a> {
    pub site: i64,
    pub offsets: IdOffsets,
    pub users: &'a HashMap<i64, i64>,
}

impl Export {
    /// The file's one site; a file of no site or of several is refused (a
    /// site is imported beside others from a file `raadhus export --site`
    /// writes, or the export of an installation of one site).
    pub fn single_site(&self) -> Result<&ExportSite, ImportError> {
        match self.sites.as_slice() {
            [site] => Ok(site),
            sites => Err(error(
                "sites",
                format!(
                    "the file holds {} sites, not one: import --site takes the file of one site \
                     (raadhus export --site HOST writes one)",
                    sites.len()
                ),
            )),
        }
    }
}

/// `id` moved by `offset`.
fn add(id: i64, offset: i64) -> Result<i64, ImportError> {
    id.checked_add(offset).ok_or_else(|| {
        error(
            "file",
            format!("id {id} is too large to come after the installation's ids"),
        )
    })
}

fn add_all(ids: &mut [i64], offset: i64) -> Result<(), ImportError> {
    for id in ids {
        *id = add(*id, offset)?;
    }
    Ok(())
}

fn add_some(id: &mut Option<i64>, offset: i64) -> Result<(), ImportError> {
    if let Some(id) = id {
        *id = add(*id, offset)?;
    }
    Ok(())
}

/// `text` with the number in each of `spans` (the byte range of its
/// digits, and the number) replaced by `new` of it (kept if `new` gives
/// nothing).
fn splice(text: &str, spans: &[(Range<usize>, i64)], new: impl Fn(i64) -> Option<i64>) -> String {
    let mut out = String::with_capacity(text.len() + spans.len() * 4);
    let mut copied = 0;
    for (digits, id) in spans {
        if let Some(new) = new(*id) {
            out.push_str(&text[copied..digits.start]);
            out.push_str(&new.to_string());
            copied = digits.end;
        }
    }
    out.push_str(&text[copied..]);
    out
}

impl IdOffsets {
    /// `body` with the files (`media:ID`, `/medier/ID/…`) and contact
    /// persons (`::: kontakt ID`) it names moved. A number too large to
    /// move names nothing of the file, and is kept.
    fn body(&self, body: &str) -> String {
        let files = splice(body, &id_spans(body), |id| id.checked_add(self.media));
        splice(&files, &contact_spans(&files), |id| {
            id.checked_add(self.contacts)
        })
    }

    /// The references of an article's or page's content (or a revision's:
    /// those no longer in the file move alike, and so name nothing).
    fn content(
        &self,
        contact_ids: &mut [i64],
        image_id: &mut Option<i64>,
        body: &mut String,
    ) -> Result<(), ImportError> {
        add_all(contact_ids, self.contacts)?;
        add_some(image_id, self.media)?;
        *body = self.body(body);
        Ok(())
    }

    /// What an audit line's object id becomes: moved for the kinds of the
    /// file, `None` for any other (it would name another object).
    fn audit_entity(&self, to: &Rebase<'_>, entity: &str, id: i64) -> Option<i64> {
        let offset = match entity {
            "site" => return Some(to.site),
            "user" => return to.users.get(&id).copied(),
            "news" => self.news,
            "page" => self.pages,
            "media" => self.media,
            "contact" => self.contacts,
            "topic" => self.topics,
            "website" => self.websites,
            "redirect" => self.redirects,
            _ => return None,
        };
        id.checked_add(offset)
    }
}

impl ExportSite {
    /// The site with every id moved as `to` says, and every reference to
    /// one with it: parents, revisions, contact persons, files (also in
    /// bodies and redirects), topics, settings, old addresses, audit lines
    /// and the users they name. Its address is left to the installation.
    pub fn rebased(mut self, to: &Rebase<'_>) -> Result<Self, ImportError> {
        let o = to.offsets;
        let user = |id: Option<i64>| id.and_then(|id| to.users.get(&id).copied());
        self.id = to.site;
        (self.host, self.base_url, self.topic_id) = (None, None, None);
        for c in &mut self.contacts {
            c.id = add(c.id, o.contacts)?;
        }
        for t in &mut self.topics {
            t.id = add(t.id, o.topics)?;
        }
        for w in &mut self.websites {
            w.id = add(w.id, o.websites)?;
            add_all(&mut w.topic_ids, o.topics)?;
        }
        for m in &mut self.media {
            m.id = add(m.id, o.media)?;
            for r in &mut m.revisions {
                r.id = add(r.id, o.media_revisions)?;
                r.user_id = user(r.user_id);
            }
        }
        for n in &mut self.news {
            n.id = add(n.id, o.news)?;
            for r in &mut n.revisions {
                (r.id, r.user_id) = (add(r.id, o.news_revisions)?, user(r.user_id));
            }
        }
        for p in &mut self.pages {
            p.id = add(p.id, o.pages)?;
            add_some(&mut p.parent_id, o.pages)?;
            (p.created_by, p.updated_by) = (user(p.created_by), user(p.updated_by));
            for r in &mut p.revisions {
                (r.id, r.user_id) = (add(r.id, o.page_revisions)?, user(r.user_id));
            }
        }
        // What the content of every article, page and revision names.
        let news = self.news.iter_mut().flat_map(|n| {
            let revisions = n.revisions.iter_mut().map(|r| &mut r.content);
            once(&mut n.content)
                .chain(revisions)
                .map(|c| (&mut c.contact_ids, &mut c.image_id, &mut c.body))
        });
        let pages = self.pages.iter_mut().flat_map(|p| {
            let revisions = p.revisions.iter_mut().map(|r| &mut r.content);
            once(&mut p.content)
                .chain(revisions)
                .map(|c| (&mut c.contact_ids, &mut c.image_id, &mut c.body))
        });
        for (contact_ids, image_id, body) in news.chain(pages) {
            o.content(contact_ids, image_id, body)?;
        }
        for old in &mut self.old_paths {
            add_some(&mut old.page_id, o.pages)?;
            add_some(&mut old.news_id, o.news)?;
        }
        for r in &mut self.redirects {
            r.id = add(r.id, o.redirects)?;
            r.to = splice(&r.to, &id_spans(&r.to), |id| id.checked_add(o.media));
        }
        if let Some(settings) = &mut self.settings {
            let identity = &mut settings.identity;
            add_some(&mut identity.logo_id, o.media)?;
            add_some(&mut identity.privacy_page_id, o.pages)?;
            let front = &mut settings.front_page;
            add_some(&mut front.lead_news_id, o.news)?;
            add_all(&mut front.shortcuts, o.pages)?;
        }
        for a in &mut self.audit_log {
            a.id = add(a.id, o.audit_log)?;
            a.user_id = user(a.user_id);
            a.entity_id = a.entity_id.and_then(|id| o.audit_entity(to, &a.entity, id));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{minimal, read};
    use super::*;
    use serde_json::json;

    /// The minimal file's site with a file, a page under another, a
    /// redirect, settings and audit lines naming them.
    fn school() -> ExportSite {
        let mut value = minimal();
        let file = json!({"sha256": crate::secret::sha256_hex(b"%PDF-1.7"),
            "created_at": "2026-01-01T00:00:00Z", "bytes": "JVBERi0xLjc="});
        value["media_files"] = json!([file]);
        let site = &mut value["sites"][0];
        site["media"] = json!([{"id": 3, "kind": "document", "sha256": file["sha256"],
            "mime": "application/pdf", "filename": "plan.pdf", "size": 8,
            "width": null, "height": null,
            "details": {"title": "Plan", "alt": null, "decorative": false, "caption": null,
                        "credit": null, "focal": {"x": 50, "y": 50}},
            "accessibility": null, "text": null, "version": 1,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "revisions": [{"id": 8, "version": 1, "user_id": 1,
                "created_at": "2026-01-01T00:00:00Z",
                "details": {"title": "Plan", "alt": null, "decorative": false, "caption": null,
                            "credit": null, "focal": {"x": 50, "y": 50}}}]}]);
        let body = "Se [planen](media:3) og [pdf](/medier/3/abc/plan.pdf), \
                    ikke https://andet.example/medier/3/abc/plan.pdf.\n\n::: kontakt 4\n";
        site["news"][0]["body"] = body.into();
        let page = |id: i64, parent: Option<i64>, slug: &str| {
            let content = json!({"slug": slug, "title": slug, "lead": null, "body": body,
                "status": "published", "publish_at": "2026-02-01T08:00:00Z",
                "unpublish_at": null, "contact_ids": [4]});
            json!({"id": id, "parent_id": parent, "position": 0, "content": content,
                "deleted_at": null, "version": 1, "created_by": 1, "updated_by": null,
                "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z",
                "revisions": [{"id": id, "version": 1, "user_id": 1,
                    "created_at": "2026-02-01T08:00:00Z", "content": content}]})
        };
        site["pages"] = json!([page(1, None, "borger"), page(2, Some(1), "affald")]);
        site["old_paths"] = json!([{"path": "/skrald", "page_id": 2, "news_id": null,
            "created_at": "2026-03-01T08:00:00Z"}]);
        site["redirects"] = json!([{"id": 5, "from": "/plan", "to": "/medier/3/abc/plan.pdf",
            "permanent": true, "created_at": "2026-03-01T08:00:00Z"}]);
        site["settings"] = json!({
            "identity": {"name": "Kommunen", "logo_id": null, "brand_color": null,
                "address": null, "phone": null, "email": null, "cvr": null, "ean": null,
                "opening_hours": null, "privacy_page_id": 2, "social_links": [],
                "menu_news": true, "menu_directory": true},
            "front_page": {"lead_news_id": 7, "shortcuts": [2, 1]},
            "updated_at": "2026-03-01T08:00:00Z"});
        let line = |id: i64, entity: &str, entity_id: i64| {
            json!({"id": id, "user_id": 1, "at": "2026-03-01T08:00:00Z", "action": "update",
                "entity": entity, "entity_id": entity_id, "summary": "x"})
        };
        site["audit_log"] = json!([
            line(1, "news", 7),
            line(2, "page", 2),
            line(3, "media", 3),
            line(4, "site", 1),
            line(5, "best_bet", 9),
            line(6, "user", 1)
        ]);
        read(&value).expect("a valid file").sites.remove(0)
    }

    #[test]
    fn every_id_moves_past_the_installations_and_every_reference_with_it() {
        let users = HashMap::from([(1, 42)]);
        let offsets = IdOffsets {
            contacts: 10,
            media: 100,
            media_revisions: 200,
            news: 1000,
            news_revisions: 2000,
            pages: 300,
            page_revisions: 400,
            redirects: 50,
            audit_log: 60,
            ..IdOffsets::default()
        };
        let to = Rebase {
            site: 9,
            offsets,
            users: &users,
        };
        let site = school().rebased(&to).unwrap();
        assert_eq!(site.id, 9);
        assert_eq!(site.contacts[0].id, 14);
        assert_eq!(
            (site.media[0].id, site.media[0].revisions[0].id),
            (103, 208)
        );
        assert_eq!(site.media[0].revisions[0].user_id, Some(42));
        let news = &site.news[0];
        assert_eq!((news.id, news.revisions[0].id), (1007, 2001));
        assert_eq!(news.content.contact_ids, [14]);
        assert_eq!(news.revisions[0].content.contact_ids, [14]);
        assert_eq!(news.revisions[0].user_id, Some(42));
        let moved = "Se [planen](media:103) og [pdf](/medier/103/abc/plan.pdf), \
                     ikke https://andet.example/medier/3/abc/plan.pdf.\n\n::: kontakt 14";
        assert_eq!(news.content.body, moved);
        let pages: Vec<_> = site.pages.iter().map(|p| (p.id, p.parent_id)).collect();
        assert_eq!(pages, [(301, None), (302, Some(301))]);
        assert_eq!(site.pages[1].content.body, moved);
        assert_eq!(site.pages[1].revisions[0].content.body, moved);
        assert_eq!(site.pages[1].revisions[0].id, 402);
        assert_eq!(site.pages[1].created_by, Some(42));
        assert_eq!(site.old_paths[0].page_id, Some(302));
        assert_eq!(site.redirects[0].id, 55);
        assert_eq!(site.redirects[0].to, "/medier/103/abc/plan.pdf");
        let settings = site.settings.as_ref().unwrap();
        assert_eq!(settings.identity.privacy_page_id, Some(302));
        assert_eq!(settings.front_page.lead_news_id, Some(1007));
        assert_eq!(settings.front_page.shortcuts, [302, 301]);
        let audit: Vec<_> = site
            .audit_log
            .iter()
            .map(|a| (a.id, a.user_id, a.entity_id))
            .collect();
        assert_eq!(
            audit,
            [
                (61, Some(42), Some(1007)),
                (62, Some(42), Some(302)),
                (63, Some(42), Some(103)),
                (64, Some(42), Some(9)),
                (65, Some(42), None),
                (66, Some(42), Some(42)),
            ]
        );
        // Without offsets everything stays, but the id of a best bet (not
        // in the file: it would name another's).
        let same = Rebase {
            site: 1,
            offsets: IdOffsets::default(),
            users: &HashMap::from([(1, 1)]),
        };
        let mut expected = school();
        expected.audit_log[4].entity_id = None;
        assert_eq!(school().rebased(&same).unwrap(), expected);
    }

    #[test]
    fn ids_too_large_to_move_are_refused_and_only_one_site_is_taken() {
        let users = HashMap::new();
        let to = Rebase {
            site: 2,
            offsets: IdOffsets {
                news: i64::MAX - 3,
                ..IdOffsets::default()
            },
            users: &users,
        };
        let err = school().rebased(&to).unwrap_err();
        assert_eq!(err.place, "file", "{err}");
        let mut two = read(&minimal()).unwrap();
        assert!(two.single_site().is_ok());
        let mut other = two.sites[0].clone();
        other.id = 2;
        two.sites.push(other);
        let err = two.single_site().unwrap_err();
        assert_eq!(err.place, "sites");
        assert!(err.message.contains("2 sites"), "{err}");
        two.sites.clear();
        assert!(two.single_site().unwrap_err().message.contains("0 sites"));
    }
}
