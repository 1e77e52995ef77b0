create table if not exists notes (
    id         bigserial primary key,
    text       varchar(1000) not null,
    created_at timestamptz not null default now()
);
