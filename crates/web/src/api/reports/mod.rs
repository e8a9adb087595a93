//! `/api/v1/reports/...`: what visitors did and said, for editors (every
//! report needs a token). Each answers a plain JSON array.

mod counts;
mod feedback;
mod links;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(feedback::feedback))
        .routes(routes!(counts::not_found))
        .routes(routes!(counts::searches))
        .routes(routes!(counts::views))
        .routes(routes!(links::links))
}
