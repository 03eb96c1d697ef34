# The kube-reach CLI as a container image (README "CI"), built from this source tree:
#   docker build -t kube-reach .
#   docker run --rm -v "$PWD:/work" kube-reach check deploy/ --fail-on warning
#   helm template shop charts/shop | docker run --rm -i kube-reach check -
# The build stage bundles dist/ and packs the npm tarball; the image installs only that tarball
# (dist/ has no runtime dependencies) and runs as the unprivileged `node` user.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN node scripts/build.mjs --minify && npm pack --ignore-scripts --pack-destination /out

FROM node:20-bookworm-slim
COPY --from=build /out/ /tmp/kube-reach/
RUN npm install --global --no-audit --no-fund /tmp/kube-reach/kube-reach-*.tgz && rm -rf /tmp/kube-reach
USER node
WORKDIR /work
ENTRYPOINT ["kube-reach"]
CMD ["check", "."]
