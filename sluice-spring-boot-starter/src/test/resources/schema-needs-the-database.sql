create table if not exists needs_the_database (id int);
