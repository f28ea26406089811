//! Keeping secrets out of what roster says: URLs lose their user part and the values of
//! parameters that look like secrets, and any text loses the token itself.

/// Query parameters whose values are never shown.
const SECRET_PARAMS: [&str; 7] = [
    "api_token",
    "access_token",
    "token",
    "key",
    "apikey",
    "hapikey",
    "password",
];

/// `url` fit to be shown or stored: no `user:password@`, secret parameters as `***`.
pub fn url(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (format!("{s}://"), r),
        None => (String::new(), url),
    };
    let (authority, tail) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let (query, fragment) = match query.split_once('#') {
                Some((q, f)) => (q, format!("#{f}")),
                None => (query, String::new()),
            };
            let params: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) if SECRET_PARAMS.iter().any(|s| s.eq_ignore_ascii_case(k)) => {
                        format!("{k}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}{fragment}", params.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}{authority}{tail}")
}

/// `text` with every occurrence of `secret` replaced (a vendor that echoes the token in
/// an error answer does not get it printed).
pub fn scrub(text: &str, secret: &str) -> String {
    if secret.len() < 4 {
        return text.to_owned();
    }
    text.replace(secret, "***")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_user_part_and_secret_parameters() {
        assert_eq!(
            url("https://bob:pw@api.x.com/v1/users?start=0&api_token=abc&limit=5"),
            "https://***@api.x.com/v1/users?start=0&api_token=***&limit=5"
        );
        assert_eq!(
            url("http://127.0.0.1:80/crm/v3/owners?limit=100&after=2"),
            "http://127.0.0.1:80/crm/v3/owners?limit=100&after=2"
        );
        assert_eq!(
            url("https://h/p?Access_Token=z#f"),
            "https://h/p?Access_Token=***#f"
        );
        assert_eq!(
            scrub("token pat-123 refused", "pat-123"),
            "token *** refused"
        );
    }
}
