/**
 * The page's only stylesheet and script, served from the same origin so the
 * Content-Security-Policy can forbid everything else (no inline code, no
 * external assets). The script is an enhancement: every page works without it.
 */

/** Mobile-first, light and dark (prefers-color-scheme); text colours meet WCAG AA contrast on their backgrounds. */
export const STYLE_CSS = `:root{--bg:#fff;--fg:#1b1b1b;--muted:#4a4a4a;--link:#a33a00;--accent:#f74c00;--line:#d9d9d9;--warn-bg:#fff4e5;--card:#f6f6f6;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#ececec;--muted:#b8b8b8;--link:#ff9a66;--line:#3a3a3a;--warn-bg:#3a2a10;--card:#1e1e1e}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--link)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:1}
header{border-bottom:3px solid var(--accent);padding:8px 12px}.brand{font-weight:700;text-decoration:none;color:var(--fg);font-size:1.1rem}.brand span{color:var(--link)}
nav ul{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}nav a[aria-current]{font-weight:700;text-decoration:none}
main{padding:12px;max-width:52rem;margin:0 auto}footer{border-top:1px solid var(--line);padding:12px;color:var(--muted);font-size:.9rem;max-width:52rem;margin:0 auto}
form.ask{display:flex;flex-wrap:wrap;gap:0 12px;align-items:flex-end;background:var(--card);padding:8px 12px;border-radius:6px}
.field{margin:4px 0;display:flex;flex-direction:column;flex:1 1 12rem}.field label{font-size:.9rem;color:var(--muted)}
input,select{font:inherit;padding:6px 8px;border:1px solid var(--muted);border-radius:4px;background:var(--bg);color:var(--fg);min-height:2.5rem}
button{font:inherit;padding:6px 16px;border:0;border-radius:4px;background:#a33a00;color:#fff;min-height:2.5rem;cursor:pointer}
h1{font-size:1.4rem;line-height:1.3}h2{font-size:1.1rem;margin-top:1.5rem;border-bottom:1px solid var(--line)}
.items{padding-left:1.2rem}.items li{margin:.4rem 0}.detail{margin:.1rem 0 0;color:var(--muted);font-size:.95rem}
.warning{background:var(--warn-bg);padding:6px 10px;border-left:4px solid var(--accent)}.hint,.attribution{color:var(--muted)}
.paging{display:flex;gap:16px;align-items:center;flex-wrap:wrap;margin:1rem 0}.cited{padding-left:1.2rem;columns:2 14rem}
figure{margin:1.5rem 0}.ranges{margin:.3rem 0}figure svg{width:100%;height:auto;display:block}figcaption{color:var(--muted);font-size:.9rem}
.chart-bg{fill:var(--card)}.chart-axis{stroke:var(--muted)}.chart-text{fill:var(--fg);font:12px system-ui,sans-serif}.chart-land{fill:var(--line);stroke:var(--bg);stroke-width:.3}
.bar-regressions{fill:#c62828}.bar-improvements{fill:#2e7d32}.bar-mixed{fill:#1565c0}.event-dot{fill:var(--accent);stroke:var(--bg)}
`;

/** Search as you type (swaps in the server-rendered answer) and option autocomplete through datalists. */
export const APP_JS = `(()=>{'use strict';
const form=document.querySelector('form.ask');if(!form)return;
let timer=0,seq=0;
const swap=async()=>{const params=new URLSearchParams(new FormData(form));for(const [k,v] of [...params])if(!v)params.delete(k);
const url=form.getAttribute('action')+(params.toString()?'?'+params:'');const mine=++seq;
try{const r=await fetch(url,{headers:{accept:'text/html'}});if(mine!==seq||!r.ok&&r.status!==400)return;
const doc=new DOMParser().parseFromString(await r.text(),'text/html');const main=document.querySelector('main');const next=doc.querySelector('main');if(!main||!next)return;
while(form.nextSibling)form.nextSibling.remove();const nf=next.querySelector('form.ask');if(nf)nf.remove();main.append(...next.childNodes);
const foot=doc.querySelector('footer');const old=document.querySelector('footer');if(foot&&old)old.replaceWith(foot);
document.title=doc.title;history.replaceState(null,'',url);}catch{}};
const q=form.querySelector('input[type=search]');
if(q)q.addEventListener('input',()=>{clearTimeout(timer);timer=setTimeout(swap,250);});
for(const input of form.querySelectorAll('input[data-autocomplete]')){const list=document.getElementById(input.getAttribute('list'));let t=0;
input.addEventListener('input',()=>{clearTimeout(t);t=setTimeout(async()=>{const p=new URLSearchParams({source:input.dataset.autocomplete,q:input.value});
const asOf=form.querySelector('input[name=as-of]');if(asOf&&asOf.value)p.set('as-of',asOf.value);
try{const r=await fetch('/api/autocomplete?'+p);if(!r.ok)return;const choices=await r.json();list.replaceChildren(...choices.map((c)=>{const o=document.createElement('option');o.value=c;return o;}));}catch{}},150);});}
})();
`;
