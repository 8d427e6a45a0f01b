# syntax=docker/dockerfile:1
# The openkbs-operator image: `openkbs run` on the ASP.NET Core runtime (Kestrel serves /metrics, /healthz, /readyz).
#   docker build -t openkbs-operator:dev .
#   docker buildx build --platform linux/amd64,linux/arm64 -t REGISTRY/openkbs-operator:VERSION --push .
# Expected size: about 130 MB uncompressed (chiseled ASP.NET runtime ~110 MB + the published operator 20 MB), see docs/install.md.
# The audit engine runs in process (.NET); no Node.js or npm tools are needed in the image today.

ARG DOTNET_VERSION=10.0

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TARGETARCH
WORKDIR /src
# Restore first (cached while only sources change): the build files and every project file of the operator's graph.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/OpenKbs.Api/OpenKbs.Api.csproj src/OpenKbs.Api/
COPY src/OpenKbs.Audit/OpenKbs.Audit.csproj src/OpenKbs.Audit/
COPY src/OpenKbs.AuditTrail/OpenKbs.AuditTrail.csproj src/OpenKbs.AuditTrail/
COPY src/OpenKbs.Aws/OpenKbs.Aws.csproj src/OpenKbs.Aws/
COPY src/OpenKbs.Controllers/OpenKbs.Controllers.csproj src/OpenKbs.Controllers/
COPY src/OpenKbs.Runtime/OpenKbs.Runtime.csproj src/OpenKbs.Runtime/
COPY src/OpenKbs.Zip/OpenKbs.Zip.csproj src/OpenKbs.Zip/
COPY src/OpenKbs.Operator/OpenKbs.Operator.csproj src/OpenKbs.Operator/
RUN dotnet restore src/OpenKbs.Operator/OpenKbs.Operator.csproj -a ${TARGETARCH}
COPY src/ src/
RUN dotnet publish src/OpenKbs.Operator/OpenKbs.Operator.csproj --no-restore -c Release -a ${TARGETARCH} \
      --self-contained false -p:OpenKbsContainer=true -p:DebugType=none -p:GenerateDocumentationFile=false -o /app

# Ubuntu chiseled: no shell, no package manager, only what .NET needs.
FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
LABEL org.opencontainers.image.title="openkbs-operator" \
      org.opencontainers.image.description="OpenKBS Operator: dedicated AWS accounts (EU regions only) and client workloads, declared in Kubernetes" \
      org.opencontainers.image.source="https://github.com/openkbs/openkbs-operator"
ENV DOTNET_gcServer=0 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 \
    ASPNETCORE_URLS=
WORKDIR /app
COPY --from=build /app ./
# The nonroot user of distroless images; the chart's pod securityContext sets the same.
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/app/openkbs"]
CMD ["run"]
