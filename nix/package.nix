# The toolkit as a nixpkgs package; used by flake.nix and default.nix.
# The build is the repository's Makefile (reproducibility flags live there, spec
# eif-pcr-repro.md §4.1); this file only supplies dependencies and the phases.
{ lib
, stdenv
, pkg-config
, openssl
, libsodium
, libcbor
, jansson
, curl
, zlib
, libarchive
, check
, python3
, libfaketime
}:

stdenv.mkDerivation {
  pname = "leadpoet-verify";
  # The repository's one version (the Makefile reads the same file).
  version = lib.fileContents ../VERSION;

  # The repository minus VCS data, build outputs and Nix result links.
  src = lib.cleanSourceWith {
    name = "leadpoet-verify-src";
    src = ../.;
    filter = path: type:
      let base = baseNameOf path; in
      !(base == ".git" || base == "result" || base == "build"
        || lib.hasPrefix "build-" base || lib.hasPrefix "result-" base
        || base == "__pycache__");
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ openssl libsodium libcbor jansson curl zlib libarchive ];
  # check links into the unit tests; python3 runs the binding and differential tests;
  # faketime lets tests/repro/test_repro.sh vary the wall clock.
  checkInputs = [ check ];
  nativeCheckInputs = [ python3 libfaketime ];

  # The Makefile defaults SOURCE_DATE_EPOCH itself; stdenv exports one (1980) anyway.
  buildPhase = ''
    runHook preBuild
    make -j$NIX_BUILD_CORES all PREFIX=$out
    runHook postBuild
  '';

  # The whole suite: plain, ASan+UBSan and TSan passes. make check-repro (rebuilds and
  # this very Nix build) is not run inside the build.
  doCheck = true;
  checkPhase = ''
    runHook preCheck
    make check
    runHook postCheck
  '';

  installPhase = ''
    runHook preInstall
    make install PREFIX=$out
    runHook postInstall
  '';

  meta = {
    description = "Offline verification and audit toolkit for Leadpoet (Bittensor Subnet 71)";
    mainProgram = "canonicalize";
    platforms = lib.platforms.linux;
  };
}
