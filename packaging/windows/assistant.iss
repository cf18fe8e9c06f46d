; Inno Setup 6 script: the Windows installer for Assistant (per-user, 64-bit, no administrator rights).
;
; NOT BUILT OR RUN ON WINDOWS BY US YET: written from the Inno Setup 6 documentation. The Linux build is
; what CI builds and tests. Report what breaks.
;
; Input: the one-folder app that packaging\build.py makes with PyInstaller on Windows,
;   build\package\dist\assistant\  (Assistant.exe: the window, no console; assistant-cli.exe: the command
;   line; _internal\: Python, Qt, llama.cpp, the bundled SmolLM2 model).
; Build (packaging\windows\build_windows.ps1 does all of it):
;   ISCC.exe /DAppVersion=0.1.0 packaging\windows\assistant.iss
; Output: dist\Assistant-<version>-windows-x64-setup.exe
;
; Needs Inno Setup 6.3 or newer (the x64compatible architecture identifier).
;
; The user's data is NOT under {app}: settings, conversations (SQLite), logs and downloaded models live in
; %LOCALAPPDATA%\Assistant (platformdirs, assistant/core/settings.py), the app in
; %LOCALAPPDATA%\Programs\Assistant. Uninstalling keeps that data unless the user says otherwise ([Code]).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; The PyInstaller output to package; relative paths are relative to this script's folder.
#ifndef AppSource
  #define AppSource "..\..\build\package\dist\assistant"
#endif
; The .ico made by build_windows.ps1 (optional: without it the installer has Inno Setup's icon).
#define IconFile AddBackslash(SourcePath) + "..\..\build\package\assistant.ico"

[Setup]
; Never change AppId: it is how an update finds (and replaces) the installed version.
AppId={{1C31FC87-093B-420F-8164-154317B26B35}
AppName=Assistant
AppVersion={#AppVersion}
AppVerName=Assistant {#AppVersion}
AppPublisher=Assistant developers
AppComments=Offline desktop AI assistant (llama.cpp)
; Per-user install: no UAC prompt, nothing outside the user's profile.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\Assistant
DefaultGroupName=Assistant
DisableProgramGroupPage=yes
; 64-bit only: the app carries 64-bit Python, Qt and llama.cpp.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 needs Windows 10 or newer.
MinVersion=10.0
; The .gguf association task writes under HKCU\Software\Classes: tell Explorer.
ChangesAssociations=yes
Compression=lzma2/max
SolidCompression=yes
LZMAUseSeparateProcess=yes
OutputDir=..\..\dist
OutputBaseFilename=Assistant-{#AppVersion}-windows-x64-setup
WizardStyle=modern
UninstallDisplayName=Assistant
UninstallDisplayIcon={app}\Assistant.exe
#if FileExists(IconFile)
SetupIconFile={#IconFile}
#endif
; A running Assistant is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
; English only for now. Simplified Chinese (the app's other language) needs ChineseSimplified.isl from
; Inno Setup's translations page, added here, and a zh entry for each [CustomMessages] line.
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english.AssocGguf=Open .gguf model files with Assistant
english.FileAssociations=File associations:
english.GgufTypeName=GGUF model
english.DeleteUserData=Also delete your conversations, settings and downloaded models?
english.DeleteUserDataKeep=Choose No to keep them: installing Assistant again will find them.
english.DeleteUserDataFailed=Some of your data could not be deleted (is Assistant still running?). You can delete this folder yourself:

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "assocgguf"; Description: "{cm:AssocGguf}"; GroupDescription: "{cm:FileAssociations}"

[InstallDelete]
; An update replaces the whole app: files a previous version had and this one does not (old DLLs, a
; renamed Qt plugin) must not stay behind in _internal.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#AppSource}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; Assistant.exe is the windowed executable (no console window behind it).
Name: "{autoprograms}\Assistant"; Filename: "{app}\Assistant.exe"; WorkingDir: "{app}"; Comment: "Offline AI assistant"
Name: "{autodesktop}\Assistant"; Filename: "{app}\Assistant.exe"; WorkingDir: "{app}"; Comment: "Offline AI assistant"; Tasks: desktopicon

[Registry]
; .gguf -> Assistant, for this user only (HKCU\Software\Classes); removed again on uninstall.
Root: HKCU; Subkey: "Software\Classes\.gguf"; ValueType: string; ValueName: ""; ValueData: "Assistant.gguf"; Flags: uninsdeletevalue; Tasks: assocgguf
Root: HKCU; Subkey: "Software\Classes\.gguf\OpenWithProgids"; ValueType: string; ValueName: "Assistant.gguf"; ValueData: ""; Flags: uninsdeletevalue; Tasks: assocgguf
Root: HKCU; Subkey: "Software\Classes\Assistant.gguf"; ValueType: string; ValueName: ""; ValueData: "{cm:GgufTypeName}"; Flags: uninsdeletekey; Tasks: assocgguf
Root: HKCU; Subkey: "Software\Classes\Assistant.gguf\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\Assistant.exe,0"; Tasks: assocgguf
; The app opens a .gguf given as its first argument (assistant/ui/app.py).
Root: HKCU; Subkey: "Software\Classes\Assistant.gguf\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Assistant.exe"" ""%1"""; Tasks: assocgguf
Root: HKCU; Subkey: "Software\Classes\Applications\Assistant.exe"; Flags: uninsdeletekey; Tasks: assocgguf
Root: HKCU; Subkey: "Software\Classes\Applications\Assistant.exe\SupportedTypes"; ValueType: string; ValueName: ".gguf"; ValueData: ""; Tasks: assocgguf

[Run]
Filename: "{app}\Assistant.exe"; Description: "{cm:LaunchProgram,Assistant}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The app writes nothing under {app} (checksum stamps and all user data live in %LOCALAPPDATA%);
; these only tidy up folders left empty.
Type: dirifempty; Name: "{app}\_internal\models"
Type: dirifempty; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
{ The user's data: %LOCALAPPDATA%\Assistant (platformdirs user_data_dir/user_config_dir("Assistant",
  appauthor=False); cache, logs and downloaded models are inside it). Kept unless the user answers Yes;
  the question defaults to No and is never asked (so the data is kept) in a silent uninstall. }
var
  DeleteUserData: Boolean;

function UserDataDir: String;
begin
  Result := ExpandConstant('{localappdata}\Assistant');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  case CurUninstallStep of
    usUninstall:
      begin
        { Asked before the app's files are removed; acted on once they are. }
        DeleteUserData := False;
        if (not UninstallSilent) and DirExists(UserDataDir) then
          DeleteUserData := MsgBox(CustomMessage('DeleteUserData') + #13#10#13#10 + UserDataDir + #13#10#13#10 +
                                   CustomMessage('DeleteUserDataKeep'),
                                   mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
      end;
    usPostUninstall:
      begin
        if DeleteUserData then
        begin
          Log('Deleting the user data in ' + UserDataDir);
          if not DelTree(UserDataDir, True, True, True) then
            MsgBox(CustomMessage('DeleteUserDataFailed') + #13#10#13#10 + UserDataDir, mbError, MB_OK);
        end
        else
          Log('Keeping the user data in ' + UserDataDir);
      end;
  end;
end;
