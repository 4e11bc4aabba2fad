{
  description = "leadpoet-verify: offline verification and audit toolkit for Leadpoet (Subnet 71)";

  # Pinned by flake.lock (nixos-24.11). Build: nix build ./nix   Test: nix flake check ./nix
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.11";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: builtins.listToAttrs
        (map (system: { name = system; value = f system; }) systems);

      # One app per tool: verify/<tool>.c except the shared verify/cli_*.c plumbing
      # (the Makefile's rule).
      verifyDir = builtins.readDir ../verify;
      toolNames = map (f: builtins.head (builtins.match "(.*)\\.c" f))
        (builtins.filter
          (f: verifyDir.${f} == "regular"
              && builtins.match ".*\\.c" f != null
              && builtins.match "cli_.*" f == null)
          (builtins.attrNames verifyDir));
    in
    {
      packages = forAllSystems (system: rec {
        leadpoet-verify = nixpkgs.legacyPackages.${system}.callPackage ./package.nix { };
        default = leadpoet-verify;
      });

      apps = forAllSystems (system:
        let
          pkg = self.packages.${system}.default;
          app = name: { type = "app"; program = "${pkg}/bin/${name}"; };
        in
        builtins.listToAttrs (map (name: { inherit name; value = app name; }) toolNames)
        // { default = app pkg.meta.mainProgram; });

      # nix flake check builds the package, whose checkPhase is `make check`.
      checks = forAllSystems (system: {
        default = self.packages.${system}.default;
      });

      devShells = forAllSystems (system:
        let pkgs = nixpkgs.legacyPackages.${system}; in {
          default = pkgs.mkShell {
            inputsFrom = [ self.packages.${system}.default ];
            packages = [ pkgs.reprotest pkgs.diffoscope ];
          };
        });
    };
}
