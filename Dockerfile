# Postwarden: the API and the web app in one image.
# Build: docker build -t postwarden .   (docker-compose.yml does it for you)
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown \
 && cargo install wasm-bindgen-cli --version 0.2.130
COPY . .
RUN cargo run --quiet -p xtask -- web \
 && cargo build --release -p api \
 && cp target/release/postwarden-api /usr/local/bin/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /var/lib/postwarden postwarden \
 && mkdir -p /var/lib/postwarden && chown postwarden /var/lib/postwarden
COPY --from=build /usr/local/bin/postwarden-api /usr/local/bin/postwarden-api
COPY --from=build /src/web/dist /usr/share/postwarden/web
ENV POSTWARDEN_BIND=0.0.0.0:8080 \
    POSTWARDEN_DATA_DIR=/var/lib/postwarden \
    POSTWARDEN_WEB_DIR=/usr/share/postwarden/web
USER postwarden
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["postwarden-api"]
CMD ["serve"]
