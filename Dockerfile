# The mlops-labs grader as a container: Node 20 slim, the built CLI with the built-in pack, esbuild and
# onnxruntime-node for the platform the image is built for (docker buildx --platform linux/amd64 or
# linux/arm64: npm ci fetches that platform's binaries), running as the image's non-root user "node".
# Grading needs no network: run it with --network none (Docker) or a deny-all NetworkPolicy (Kubernetes,
# docs/recipes/k8s-grade-job.yaml). Build: docker build -t mlops-labs-grader:$(node -p "require('./package.json').version") .
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/mlops-labs
COPY --from=build /src/package.json /src/pack.json ./
COPY --from=build /src/dist ./dist
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/labs ./labs
COPY --from=build /src/questions ./questions
COPY --from=build /src/schemas ./schemas
COPY --from=build /src/templates ./templates
RUN chmod 0755 dist/cli.js && ln -s /opt/mlops-labs/dist/cli.js /usr/local/bin/mlops-labs
USER node
WORKDIR /work
ENTRYPOINT ["mlops-labs"]
CMD ["--help"]
