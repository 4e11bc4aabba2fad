# A stand-in for nixpkgs (tests/repro/test_nix.sh; spec eif-pcr-repro.md §4.4): the attribute
# names nix/*.nix use, with stdenv.mkDerivation as a raw derivation that runs the given
# phases with the host's make and gcc, and dependencies as the host's Debian packages
# (found through pkg-config). It proves what the expressions ask for and which make
# targets their phases run, not that real nixpkgs builds them.
{ system ? builtins.currentSystem, ... }:
let
  lib = import ./lib.nix;
  # A dependency: a named placeholder for the host's package.
  hostPackage = pname: { inherit pname; name = "${pname}-host"; outPath = "/usr"; };
  names = [ "pkg-config" "openssl" "libsodium" "libcbor" "jansson" "curl" "zlib"
            "libarchive" "check" "python3" "libfaketime" "reprotest" "diffoscope" ];
  hostPackages = builtins.listToAttrs (map (n: { name = n; value = hostPackage n; }) names);
  inputNames = l: builtins.concatStringsSep " " (map (p: p.pname) l);

  mkDerivation = args:
    let
      drv = derivation {
        name = "${args.pname}-${args.version}";
        inherit system;
        builder = "/bin/sh";
        args = [ ./builder.sh ];
        inherit (args) src;
        buildPhase = args.buildPhase or "make";
        checkPhase = args.checkPhase or "make check";
        installPhase = args.installPhase or "make install PREFIX=$out";
        doCheck = if args.doCheck or false then "1" else "";
        # Recorded so the test can see what the expression asked nixpkgs for.
        stubNativeBuildInputs = inputNames (args.nativeBuildInputs or [ ]);
        stubBuildInputs = inputNames (args.buildInputs or [ ]);
        stubCheckInputs = inputNames ((args.checkInputs or [ ]) ++ (args.nativeCheckInputs or [ ]));
        PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        NIX_BUILD_CORES = "2";
        # The tests of make check-repro skip themselves inside this build (it is what they build).
        LP_NIX_STUB = "1";
      };
    in
    drv // { meta = args.meta or { }; };

  pkgs = hostPackages // {
    inherit lib system;
    stdenv = { inherit mkDerivation; };
    mkShell = args: derivation {
      name = "stub-shell";
      inherit system;
      builder = "/bin/sh";
      args = [ "-c" "echo shell > $out" ];
    };
    # nixpkgs' callPackage: fill a function's arguments from the package set.
    callPackage = fn: overrides:
      let f = if builtins.isFunction fn then fn else import fn;
      in f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // overrides);
  };
in
pkgs
